package graph

import (
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// accountViolation reads a row of check_accounts: a group_id identifier,
// which older versions made of groupId, or an account link a merge left on
// the merged profile.
func accountViolation(rec *neo4j.Record) (idgraph.Violation, error) {
	var f [4]string
	for i, key := range []string{"kind", "account_id", "profile_id", "merged_into"} {
		v, err := value[string](rec, key)
		if err != nil {
			return idgraph.Violation{}, err
		}
		f[i] = v
	}
	if f[0] == "group_identifier" {
		return idgraph.Violation{Kind: "group_identifier", ProfileID: f[2],
			Detail: fmt.Sprintf("%s:%s is a user identifier (profile %s), but a group id names an account: 'idgraph migrate-accounts' moves it to the accounts collection", idgraph.TypeGroupID, f[1], f[2])}, nil
	}
	return idgraph.Violation{Kind: "account_link", ProfileID: f[2],
		Detail: fmt.Sprintf("profile %s, merged into %s, still links to account %s", f[2], f[3], f[1])}, nil
}
