package graph

import (
	"reflect"
	"testing"

	"github.com/idgraph/idgraph/cypher"
)

func TestMissingMigrations(t *testing.T) {
	ms := []cypher.Migration{{Version: 1, Name: "a"}, {Version: 2, Name: "b"}, {Version: 3, Name: "c"}}
	tests := []struct {
		name string
		done map[int]bool
		want []string
	}{
		{"none recorded", map[int]bool{}, []string{"001_a", "002_b", "003_c"}},
		{"one missing", map[int]bool{1: true, 3: true}, []string{"002_b"}},
		{"all recorded", map[int]bool{1: true, 2: true, 3: true}, nil},
		{"unknown extra version", map[int]bool{1: true, 2: true, 3: true, 9: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := missingMigrations(ms, tt.done); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("missingMigrations = %v, want %v", got, tt.want)
			}
		})
	}
}
