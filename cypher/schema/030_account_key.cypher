// An account is unique per space and id (its groupId).
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT account_key IF NOT EXISTS
FOR (a:Account) REQUIRE (a.space, a.id) IS UNIQUE
