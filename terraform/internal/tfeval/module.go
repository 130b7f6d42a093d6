// Package tfeval reads the Terraform configuration of this repository with hcl/v2 and computes the
// values Terraform would plan for it, without providers: every variable, local, module argument and
// resource argument that follows from the inputs and from the files read with file() is evaluated;
// values that only exist after apply (ARNs, ids) stay unknown, and a reference to such a value is kept
// as a symbolic Ref so tests can still see what points at what.
//
// No AWS provider can be downloaded on the build machines, so `terraform validate` and `plan` cannot
// run there; this package is what the structure and parity tests use instead. It supports the subset
// of the language the modules use and fails loudly on anything else (an unknown function, a reference
// to an undeclared name, a for_each that would be unknown at plan time).
package tfeval

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Module is one directory of .tf files.
type Module struct {
	Dir       string
	Variables map[string]*Variable
	Locals    map[string]hcl.Expression
	Outputs   map[string]hcl.Expression
	Calls     map[string]*Call
	// Resources holds managed resources as "type.name" and data sources as "data.type.name".
	Resources map[string]*Resource
	// Files lists the parsed files, for tests that walk every expression.
	Files map[string]*hclsyntax.Body
}

// Variable is a declared input variable.
type Variable struct {
	Name     string
	Type     cty.Type
	Defaults *typeexpr.Defaults
	// Typed is false when the declaration has no type argument.
	Typed   bool
	Default hcl.Expression // nil when the variable is required
	// Validations are the variable's validation blocks, checked after conversion as at plan time.
	Validations []Validation
	Range       hcl.Range
}

// Validation is one validation block of a variable.
type Validation struct {
	Condition, ErrorMessage hcl.Expression
}

// Call is a module block.
type Call struct {
	Name   string
	Source string
	// Args are the arguments passed to the module's variables (meta-arguments excluded).
	Args  map[string]hcl.Expression
	Range hcl.Range
}

// Resource is a resource or data block.
type Resource struct {
	Addr    string // "aws_lb.this" or "data.aws_partition.current"
	Type    string
	Name    string
	Data    bool
	Body    *hclsyntax.Body
	Count   hcl.Expression
	ForEach hcl.Expression
	Range   hcl.Range
}

// moduleMeta are module block arguments that are not variables of the called module.
var moduleMeta = map[string]bool{"source": true, "version": true, "providers": true, "count": true, "for_each": true, "depends_on": true}

// Load parses every .tf file of dir (not its subdirectories).
func Load(dir string) (*Module, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	m := &Module{
		Dir: dir, Variables: map[string]*Variable{}, Locals: map[string]hcl.Expression{}, Outputs: map[string]hcl.Expression{},
		Calls: map[string]*Call{}, Resources: map[string]*Resource{}, Files: map[string]*hclsyntax.Body{},
	}
	p := hclparse.NewParser()
	var diags hcl.Diagnostics
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, d := p.ParseHCL(src, path)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		body := f.Body.(*hclsyntax.Body)
		m.Files[path] = body
		if len(body.Attributes) > 0 {
			for _, a := range body.Attributes {
				diags = append(diags, errDiag(a.SrcRange, "attribute %q outside any block", a.Name))
			}
		}
		for _, b := range body.Blocks {
			diags = append(diags, m.addBlock(b)...)
		}
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("load %s: %s", dir, diags.Error())
	}
	return m, nil
}

func (m *Module) addBlock(b *hclsyntax.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	switch b.Type {
	case "variable":
		v := &Variable{Name: b.Labels[0], Type: cty.DynamicPseudoType, Range: b.DefRange()}
		if a, ok := b.Body.Attributes["type"]; ok {
			ty, defs, d := typeexpr.TypeConstraintWithDefaults(a.Expr)
			diags = append(diags, d...)
			v.Type, v.Defaults, v.Typed = ty, defs, true
		}
		if a, ok := b.Body.Attributes["default"]; ok {
			v.Default = a.Expr
		}
		for _, vb := range b.Body.Blocks {
			if vb.Type != "validation" {
				continue
			}
			cond, msg := vb.Body.Attributes["condition"], vb.Body.Attributes["error_message"]
			if cond == nil || msg == nil {
				diags = append(diags, errDiag(vb.DefRange(), "validation of %q needs condition and error_message", v.Name))
				continue
			}
			v.Validations = append(v.Validations, Validation{Condition: cond.Expr, ErrorMessage: msg.Expr})
		}
		if _, dup := m.Variables[v.Name]; dup {
			diags = append(diags, errDiag(b.DefRange(), "variable %q declared twice", v.Name))
		}
		m.Variables[v.Name] = v
	case "locals":
		for name, a := range b.Body.Attributes {
			if _, dup := m.Locals[name]; dup {
				diags = append(diags, errDiag(a.SrcRange, "local %q declared twice", name))
			}
			m.Locals[name] = a.Expr
		}
	case "output":
		a, ok := b.Body.Attributes["value"]
		if !ok {
			diags = append(diags, errDiag(b.DefRange(), "output %q has no value", b.Labels[0]))
			break
		}
		m.Outputs[b.Labels[0]] = a.Expr
	case "module":
		c := &Call{Name: b.Labels[0], Args: map[string]hcl.Expression{}, Range: b.DefRange()}
		for name, a := range b.Body.Attributes {
			if name == "source" {
				v, d := a.Expr.Value(nil)
				diags = append(diags, d...)
				if !d.HasErrors() && v.Type() == cty.String {
					c.Source = v.AsString()
				}
				continue
			}
			if !moduleMeta[name] {
				c.Args[name] = a.Expr
			}
		}
		m.Calls[c.Name] = c
	case "resource", "data":
		r := &Resource{Type: b.Labels[0], Name: b.Labels[1], Data: b.Type == "data", Body: b.Body, Range: b.DefRange()}
		r.Addr = r.Type + "." + r.Name
		if r.Data {
			r.Addr = "data." + r.Addr
		}
		if a, ok := b.Body.Attributes["count"]; ok {
			r.Count = a.Expr
		}
		if a, ok := b.Body.Attributes["for_each"]; ok {
			r.ForEach = a.Expr
		}
		if r.Count != nil && r.ForEach != nil {
			diags = append(diags, errDiag(b.DefRange(), "%s has both count and for_each", r.Addr))
		}
		if _, dup := m.Resources[r.Addr]; dup {
			diags = append(diags, errDiag(b.DefRange(), "%s declared twice", r.Addr))
		}
		m.Resources[r.Addr] = r
	case "terraform", "provider", "check", "moved", "import", "removed":
		// Settings and lifecycle blocks; nothing to evaluate here.
	default:
		diags = append(diags, errDiag(b.DefRange(), "unexpected top-level block %q", b.Type))
	}
	return diags
}

// ChildDir returns the directory of a local module call.
func (m *Module) ChildDir(c *Call) (string, error) {
	if !strings.HasPrefix(c.Source, "./") && !strings.HasPrefix(c.Source, "../") {
		return "", fmt.Errorf("module %s: only local sources are used here, got %q", c.Name, c.Source)
	}
	return filepath.Join(m.Dir, c.Source), nil
}

func errDiag(r hcl.Range, format string, a ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf(format, a...), Subject: r.Ptr()}
}
