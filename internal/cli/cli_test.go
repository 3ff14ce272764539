package cli

import "testing"

func TestEnvMap(t *testing.T) {
	got := EnvMap([]string{"A=1", "B=x=y", "EMPTY=", "NOEQUALS", "A=2"})
	want := map[string]string{"A": "2", "B": "x=y", "EMPTY": ""}
	if len(got) != len(want) {
		t.Errorf("EnvMap = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("EnvMap[%s] = %q, want %q", k, got[k], v)
		}
	}
}
