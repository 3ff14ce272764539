// Reads again what merge_identifiers returned of identifiers it touched
// earlier in the transaction: after a re-homing split, each one's profile,
// whether it is shared, and its company. The rows are merge_identifiers'.
// Parameters: $space, $identifiers: [{type, value}].
// Returns: type, value, profile_id (null when the identifier has no
//   profile), shared (marked :Shared), company (JSON text, or null).
UNWIND $identifiers AS row
MATCH (i:Identifier {space: $space, type: row.type, value: row.value})
OPTIONAL MATCH (i)-[:IN_PROFILE]->(p:Profile)
RETURN i.type AS type, i.value AS value, p.id AS profile_id, i:Shared AS shared, i.company AS company
