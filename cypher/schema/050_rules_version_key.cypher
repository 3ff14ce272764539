// A space's rules version is unique per space and number: two promotions
// racing for the same number cannot both commit.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT rules_version_key IF NOT EXISTS
FOR (v:RulesVersion) REQUIRE (v.space, v.version) IS UNIQUE
