package idgraph

import (
	"slices"
	"testing"
)

func TestReadObjectKeepsEachMemberAsWritten(t *testing.T) {
	data := []byte(` { "a" : {"x":"}]\"{"} , "b":[1,[2,{"c":3}]],` + "\n" + `"\u0063" : -1.5e3 ,"d":"q\\" ,"e":null}  `)
	o, ps := readObject(data)
	if len(ps) > 0 {
		t.Fatalf("readObject: %v", ps)
	}
	var got []string
	for _, m := range o.members {
		got = append(got, m.key+"="+string(m.raw))
	}
	want := []string{`a={"x":"}]\"{"}`, `b=[1,[2,{"c":3}]]`, `c=-1.5e3`, `d="q\\"`, `e=null`}
	if !slices.Equal(got, want) {
		t.Errorf("members %q, want %q", got, want)
	}
	items, ok := scanArray(o.raw("b"))
	if !ok || len(items) != 2 || string(items[1]) != `[2,{"c":3}]` {
		t.Errorf("items of b = %q, %v; want 1 and [2,{\"c\":3}]", items, ok)
	}
	if _, ok := scanArray(o.raw("a")); ok {
		t.Error("scanArray took an object for an array")
	}
}

func TestReadObjectRefusesAKeyTwice(t *testing.T) {
	tests := []struct {
		body string
		want []string
	}{
		{`{"batch":[],"batch":[]}`, []string{"batch"}},
		{`{"batch":[],"BATCH":[]}`, []string{"BATCH"}},
		{`{"batch":[],"b\u0061tch":[]}`, []string{"batch"}},
		{`{"kelvin":1,"` + "\u212a" + `elvin":2}`, []string{"\u212aelvin"}},
		{`{"a":{"x":1,"x":2}}`, nil}, // only the object's own keys
	}
	for _, tt := range tests {
		_, ps := readObject([]byte(tt.body))
		var got []string
		for _, p := range ps {
			got = append(got, p.Field)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("readObject(%s): problems on %q, want %q", tt.body, got, tt.want)
		}
	}
}
