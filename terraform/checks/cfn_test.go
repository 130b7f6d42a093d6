package checks

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/crypto-oms/crypto-oms/cdk/stacks"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/crypto-oms/crypto-oms/terraform/internal/tfeval"
)

// cfnRes is one resource of a synthesized CloudFormation template.
type cfnRes struct {
	Stack, ID, Type string
	Props           map[string]any
}

// cdkEstate is the CDK app synthesized in-process for one profile.
type cdkEstate struct {
	res []cfnRes
	ids map[string]cfnRes // by logical id (ids are unique across this app's stacks)
}

// synthCDK builds the CDK app for profile with placeholder Lambda assets (templates do not depend on
// their contents) and returns every resource of every stack.
func synthCDK(t *testing.T, profile string) *cdkEstate {
	t.Helper()
	assets := t.TempDir()
	for _, fn := range estate.Functions {
		if err := os.MkdirAll(filepath.Join(assets, fn), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(assets, fn, "bootstrap"), []byte("placeholder"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tpls, err := stacks.SynthTemplates(profile, assets)
	if err != nil {
		t.Fatalf("synth CDK %s: %v", profile, err)
	}
	e := &cdkEstate{ids: map[string]cfnRes{}}
	for stack, tpl := range tpls {
		resources, _ := tpl["Resources"].(map[string]any)
		for id, r := range resources {
			rm := r.(map[string]any)
			props, _ := rm["Properties"].(map[string]any)
			cr := cfnRes{Stack: stack, ID: id, Type: rm["Type"].(string), Props: props}
			e.res = append(e.res, cr)
			e.ids[id] = cr
		}
	}
	sort.Slice(e.res, func(i, j int) bool { return e.res[i].Stack+e.res[i].ID < e.res[j].Stack+e.res[j].ID })
	return e
}

func (e *cdkEstate) all(typ string) []cfnRes {
	var out []cfnRes
	for _, r := range e.res {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

func (e *cdkEstate) one(t *testing.T, typ string) cfnRes {
	t.Helper()
	rs := e.all(typ)
	if len(rs) != 1 {
		t.Fatalf("CDK: %d resources of type %s, want 1", len(rs), typ)
	}
	return rs[0]
}

// refID returns the logical id a {"Ref": id} or {"Fn::GetAtt": [id, attr]} names.
func refID(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	if id, ok := m["Ref"].(string); ok {
		return id
	}
	if ga, ok := m["Fn::GetAtt"].([]any); ok && len(ga) > 0 {
		id, _ := ga[0].(string)
		return id
	}
	return ""
}

// get walks a path of map keys and list indexes ("a.0.b") through decoded JSON or tfeval values.
func get(v any, path string) any {
	for _, step := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[step]
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// norm renders a value for comparison: numbers without trailing zeros, booleans and "true"/"false"
// strings alike (CloudFormation carries some booleans as strings), lists in order, maps sorted.
func norm(v any) string {
	switch x := v.(type) {
	case nil:
		return "<absent>"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, el := range x {
			parts[i] = norm(el)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + norm(x[k])
		}
		return "{" + strings.Join(parts, " ") + "}"
	case tfeval.Unknown:
		return "(known after apply)"
	case tfeval.Ref:
		return "ref(" + string(x) + ")"
	}
	return fmt.Sprintf("%v", v)
}

// sortedNorm renders a list as a set.
func sortedNorm(v any) string {
	l, _ := v.([]any)
	parts := make([]string, len(l))
	for i, el := range l {
		parts[i] = norm(el)
	}
	sort.Strings(parts)
	return "[" + strings.Join(parts, " ") + "]"
}

// decodeConfigs turns a base64 topic config (JSON of strings, or Java properties) into a map.
func decodeConfigs(t *testing.T, v any) string {
	t.Helper()
	s, _ := v.(string)
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Errorf("topic configs %q are not base64: %v", s, err)
		return ""
	}
	m := map[string]any{}
	if json.Unmarshal(raw, &m) == nil {
		return norm(m)
	}
	return norm(properties(string(raw)))
}

// properties parses Java properties (key=value lines).
func properties(s string) map[string]any {
	m := map[string]any{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m
}

// present reports whether a value is set: a literal, a CloudFormation reference or a Terraform value
// known after apply.
func present(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	}
	return true
}

// resolveString evaluates the intrinsic functions CDK uses for plain strings (Fn::Join of literals and
// the AWS::Region pseudo parameter); anything else is returned as is and will not compare equal.
func resolveString(v any, region string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	if m["Ref"] == "AWS::Region" {
		return region
	}
	join, ok := m["Fn::Join"].([]any)
	if !ok || len(join) != 2 {
		return v
	}
	sep, _ := join[0].(string)
	parts, _ := join[1].([]any)
	out := make([]string, len(parts))
	for i, part := range parts {
		s, ok := resolveString(part, region).(string)
		if !ok {
			return v
		}
		out[i] = s
	}
	return strings.Join(out, sep)
}
