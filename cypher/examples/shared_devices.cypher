// Devices that events tied to more than one user id: family tablets, store
// kiosks. The user_id limit keeps such users apart; REJECTED shows where.
// Parameters: $space.
// Returns: device_type, device (its value), users (user id values).
MATCH (d:Device {space: $space})-[:OBSERVED_WITH|REJECTED]-(u:Identifier {type: 'user_id'})
WITH d, collect(DISTINCT u.value) AS users
WHERE size(users) > 1
RETURN d.type AS device_type, d.value AS device, users
ORDER BY size(users) DESC, device
