package tfeval

import (
	"encoding/base64"
	"fmt"
	"math/big"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Functions returns the Terraform functions the modules may call, with Terraform's semantics for the
// argument shapes used here. file() reads relative to rootDir, Terraform's working directory. A call to
// any other function fails evaluation, so adding one to a module means adding it here, with its real
// implementation.
func Functions(rootDir string) map[string]function.Function {
	return map[string]function.Function{
		"base64encode": base64EncodeFunc,
		"cidrsubnet":   cidrSubnetFunc,
		"coalesce":     stdlib.CoalesceFunc,
		"concat":       stdlib.ConcatFunc,
		"contains":     stdlib.ContainsFunc,
		"file":         fileFunc(rootDir),
		"flatten":      stdlib.FlattenFunc,
		"format":       stdlib.FormatFunc,
		"join":         stdlib.JoinFunc,
		"jsondecode":   stdlib.JSONDecodeFunc,
		"jsonencode":   stdlib.JSONEncodeFunc,
		"keys":         stdlib.KeysFunc,
		"length":       lengthFunc,
		"lookup":       stdlib.LookupFunc,
		"lower":        stdlib.LowerFunc,
		"max":          stdlib.MaxFunc,
		"merge":        stdlib.MergeFunc,
		"min":          stdlib.MinFunc,
		"range":        stdlib.RangeFunc,
		"replace":      stdlib.ReplaceFunc,
		"slice":        stdlib.SliceFunc,
		"split":        stdlib.SplitFunc,
		"substr":       stdlib.SubstrFunc,
		"tonumber":     stdlib.MakeToFunc(cty.Number),
		"tostring":     stdlib.MakeToFunc(cty.String),
		"toset":        stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"upper":        stdlib.UpperFunc,
		"values":       stdlib.ValuesFunc,
	}
}

func fileFunc(rootDir string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			if !filepath.IsAbs(p) {
				p = filepath.Join(rootDir, p)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(string(b)), nil
		},
	})
}

var base64EncodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(base64.StdEncoding.EncodeToString([]byte(args[0].AsString()))), nil
	},
})

// cidrSubnetFunc is Terraform's cidrsubnet for IPv4 prefixes.
var cidrSubnetFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "newbits", Type: cty.Number},
		{Name: "netnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		pfx, err := netip.ParsePrefix(args[0].AsString())
		if err != nil || !pfx.Addr().Is4() {
			return cty.NilVal, fmt.Errorf("cidrsubnet: %q is not an IPv4 prefix", args[0].AsString())
		}
		newbits, _ := args[1].AsBigFloat().Int64()
		netnum, _ := args[2].AsBigFloat().Int64()
		bits := pfx.Bits() + int(newbits)
		if newbits < 0 || bits > 32 || netnum < 0 || netnum >= 1<<newbits {
			return cty.NilVal, fmt.Errorf("cidrsubnet: netnum %d does not fit in %d new bits of %s", netnum, newbits, pfx)
		}
		base := pfx.Masked().Addr().As4()
		n := new(big.Int).SetBytes(base[:])
		n.Or(n, new(big.Int).Lsh(big.NewInt(netnum), uint(32-bits)))
		var out [4]byte
		n.FillBytes(out[:])
		return cty.StringVal(netip.PrefixFrom(netip.AddrFrom4(out), bits).String()), nil
	},
})

// lengthFunc is Terraform's length, which also counts the attributes of an object (for example a
// for_each resource or module output), unlike cty's stdlib version.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if v.Type().IsObjectType() {
			return cty.NumberIntVal(int64(len(v.Type().AttributeTypes()))), nil
		}
		return stdlib.Length(v)
	},
})
