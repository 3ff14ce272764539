package idgraph

import (
	"reflect"
	"strings"
	"testing"
)

// TestParseSharedRules: shared identifiers are on by default, the shared:
// section sets every field, segment_compatible: true switches them off,
// and bad values are named by their path.
func TestParseSharedRules(t *testing.T) {
	parse := func(extra string) (SharedRules, error) {
		s, err := ParseSpaces([]byte("spaces:\n  - id: shop\n    access_tokens: [tok_shop_1]\n    sources: [{id: web, write_key: wk_web_1}]\n" + extra))
		if err != nil {
			return SharedRules{}, err
		}
		sp, _ := s.Get("shop")
		return sp.Rules.Shared, nil
	}
	tests := []struct {
		name, yaml string
		want       SharedRules
	}{
		{"default", "", DefaultSharedRules()},
		{"set", "    shared: {enabled: true, types: [ios.id, ga_client_id], min_people: 3, window: weekly, kiosk_anonymous_ids: 0, kiosk_window: weekly, account_devices: 8}\n",
			SharedRules{Enabled: true, Types: []string{"ios.id", "ga_client_id"}, MinPeople: 3, Window: WindowWeekly, KioskWindow: WindowWeekly, AccountDevices: 8}},
		{"off", "    shared: {enabled: false}\n", func() SharedRules { r := DefaultSharedRules(); r.Enabled = false; return r }()},
		{"segment", "    segment_compatible: true\n", SharedRules{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(tt.yaml)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	_, err := parse("    shared: {min_people: 1, window: fortnightly, types: [user_id], colour: red}\n")
	for _, want := range []string{"shared.min_people", "shared.window", "shared.types[0]", "shared.colour"} {
		if err == nil || !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("error %v: want it to name %s", err, want)
		}
	}
	if DefaultRules().SegmentCompatible().Shared.Enabled {
		t.Error("SegmentCompatible left shared identifiers on")
	}
}
