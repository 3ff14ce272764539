package bench

import (
	"context"
	"embed"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
	"github.com/idgraph/idgraph/graph"
)

// The runner's own queries: one per file in cypher/, like the product's.
//
//go:embed cypher/*.cypher
var queryFiles embed.FS

func query(name string) string {
	b, err := queryFiles.ReadFile("cypher/" + name + ".cypher")
	if err != nil {
		panic(fmt.Sprintf("bench: no query %s", name))
	}
	return string(b)
}

// profiles is a space's partition as Neo4j holds it.
type profiles struct {
	partition *Partition
	ids       []idgraph.Identifier            // every identifier with a profile
	members   map[string][]idgraph.Identifier // by profile id
}

// readProfiles reads which profile every identifier of space belongs to,
// streaming the rows.
func readProfiles(ctx context.Context, db *graph.DB, space string) (*profiles, error) {
	return graph.Read(ctx, db, "list memberships", func(tx neo4j.ManagedTransaction) (*profiles, error) {
		p := &profiles{partition: NewPartition(), members: map[string][]idgraph.Identifier{}}
		res, err := tx.Run(ctx, query("list_memberships"), map[string]any{"space": space})
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			rec := res.Record()
			typ, _, err := neo4j.GetRecordValue[string](rec, "type")
			if err != nil {
				return nil, err
			}
			value, _, err := neo4j.GetRecordValue[string](rec, "value")
			if err != nil {
				return nil, err
			}
			pid, _, err := neo4j.GetRecordValue[string](rec, "profile_id")
			if err != nil {
				return nil, err
			}
			id := idgraph.Identifier{Type: typ, Value: value}
			p.partition.Add(id.String(), pid)
			p.ids = append(p.ids, id)
			p.members[pid] = append(p.members[pid], id)
		}
		return p, res.Err()
	})
}

// sampleRejections returns up to limit standing rejected links whose ends
// lie in two profiles.
func sampleRejections(ctx context.Context, db *graph.DB, space string, limit int) ([][2]idgraph.Identifier, error) {
	res, err := db.ReadQuery(ctx, "sample rejections", query("sample_rejections"), map[string]any{"space": space, "limit": int64(limit)})
	if err != nil {
		return nil, err
	}
	var out [][2]idgraph.Identifier
	for _, rec := range res.Records {
		var f [4]string
		for i, k := range []string{"from_type", "from_value", "to_type", "to_value"} {
			if f[i], _, err = neo4j.GetRecordValue[string](rec, k); err != nil {
				return nil, err
			}
		}
		out = append(out, [2]idgraph.Identifier{{Type: f[0], Value: f[1]}, {Type: f[2], Value: f[3]}})
	}
	return out, nil
}

// deleteSpace deletes every node of a space with its relationships, in
// batches: identifiers, events and profiles by their indexes, then whatever
// else carries the space's name (events still pending, suppressed values)
// with the product's delete_space, which scans every node and so runs last,
// when little is left.
func deleteSpace(ctx context.Context, db *graph.DB, space string) error {
	for _, q := range []struct{ name, text string }{
		{"delete_identifiers", query("delete_identifiers")},
		{"delete_events", query("delete_events")},
		{"delete_profiles", query("delete_profiles")},
		{"delete_space", cypher.Query("delete_space")},
	} {
		for {
			res, err := db.Query(ctx, "delete space", q.text, map[string]any{"space": space, "limit": int64(5000)})
			if err != nil {
				return err
			}
			if len(res.Records) != 1 {
				return fmt.Errorf("%s returned %d rows", q.name, len(res.Records))
			}
			n, _, err := neo4j.GetRecordValue[int64](res.Records[0], "deleted")
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
	}
	return nil
}

// neo4jInfo reads the server's version, edition, JVM and memory settings,
// and its store's size when its data directory is on this machine.
func neo4jInfo(ctx context.Context, db *graph.DB, m *Machine) error {
	res, err := db.ReadQuery(ctx, "dbms components", "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS version, edition", nil)
	if err != nil {
		return err
	}
	if len(res.Records) > 0 {
		m.Neo4jVersion, _, _ = neo4j.GetRecordValue[string](res.Records[0], "version")
		m.Neo4jEdition, _, _ = neo4j.GetRecordValue[string](res.Records[0], "edition")
	}
	res, err = db.ReadQuery(ctx, "settings",
		"SHOW SETTINGS YIELD name, value WHERE name IN ['server.memory.heap.max_size', 'server.memory.pagecache.size', 'server.directories.data'] RETURN name, value", nil)
	if err == nil {
		for _, rec := range res.Records {
			name, _, _ := neo4j.GetRecordValue[string](rec, "name")
			value, _, _ := neo4j.GetRecordValue[string](rec, "value")
			switch {
			case strings.Contains(name, "heap"):
				m.Neo4jHeap = value
			case strings.Contains(name, "pagecache"):
				m.Neo4jPageCache = value
			default: // the data directory: this machine's, when the server runs here
				m.Neo4jStore = storeSize(value)
			}
		}
	}
	res, err = db.ReadQuery(ctx, "jvm",
		"CALL dbms.queryJmx('java.lang:type=Runtime') YIELD attributes RETURN attributes.VmName.value + ' ' + attributes.VmVersion.value AS java", nil)
	if err == nil && len(res.Records) > 0 {
		m.Java, _, _ = neo4j.GetRecordValue[string](res.Records[0], "java")
	}
	return nil
}
