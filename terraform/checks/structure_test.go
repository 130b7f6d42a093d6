package checks

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/crypto-oms/crypto-oms/terraform/internal/tfeval"
)

// wantModules is the module layout of issue 6: one module per concern.
var wantModules = []string{"alb", "documentdb", "eks", "frontend", "kms", "lambdas", "msk", "network", "observability", "redis", "workloads"}

func TestModuleLayout(t *testing.T) {
	var got []string
	for _, d := range moduleDirs(t)[1:] {
		got = append(got, filepath.Base(d))
	}
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(wantModules, ",") {
		t.Errorf("modules = %v, want %v", got, wantModules)
	}
	root := loadModule(t, rootDir)
	for _, name := range wantModules {
		c, ok := root.Calls[name]
		if !ok || c.Source != "./modules/"+name {
			t.Errorf("root module does not call ./modules/%s as module %q", name, name)
		}
	}
}

// TestVariablesTyped: every variable has a type and a description, so a wrong argument fails at plan
// and operators know what to pass.
func TestVariablesTyped(t *testing.T) {
	for _, dir := range moduleDirs(t) {
		m := loadModule(t, dir)
		for name, v := range m.Variables {
			if !v.Typed {
				t.Errorf("%s: variable %q has no type", dir, name)
			}
			if v.Typed && v.Type == cty.DynamicPseudoType {
				t.Errorf("%s: variable %q is typed any; give it its real type", dir, name)
			}
		}
		for _, body := range m.Files {
			for _, b := range body.Blocks {
				if (b.Type == "variable" || b.Type == "output") && b.Body.Attributes["description"] == nil {
					t.Errorf("%s: %s %q has no description", dir, b.Type, b.Labels[0])
				}
			}
		}
	}
}

// TestModuleCalls: every module call passes each variable the module requires and only variables it
// declares, and every module.X.Y reference names an output X has.
func TestModuleCalls(t *testing.T) {
	for _, dir := range moduleDirs(t) {
		m := loadModule(t, dir)
		for _, c := range m.Calls {
			childDir, err := m.ChildDir(c)
			if err != nil {
				t.Error(err)
				continue
			}
			child := loadModule(t, childDir)
			for arg := range c.Args {
				if _, ok := child.Variables[arg]; !ok {
					t.Errorf("%s: module %s passes %q, which %s does not declare", dir, c.Name, arg, c.Source)
				}
			}
			for name, v := range child.Variables {
				if _, ok := c.Args[name]; !ok && v.Default == nil {
					t.Errorf("%s: module %s does not pass required variable %q", dir, c.Name, name)
				}
			}
		}
	}
}

// TestReferencesResolve checks every reference in every expression (arguments, locals, outputs) against
// the declarations of its module: variables, locals, resources, data sources, module calls and their
// outputs; and every function called against the functions the evaluator implements. Terraform's own
// validate would catch these, but it needs the provider, which cannot be downloaded here.
func TestReferencesResolve(t *testing.T) {
	funcs := tfeval.Functions(rootDir)
	for _, dir := range moduleDirs(t) {
		m := loadModule(t, dir)
		outputs := map[string]map[string]bool{}
		for _, c := range m.Calls {
			childDir, err := m.ChildDir(c)
			if err != nil {
				t.Fatal(err)
			}
			outputs[c.Name] = map[string]bool{}
			for o := range loadModule(t, childDir).Outputs {
				outputs[c.Name][o] = true
			}
		}
		resources := map[string]bool{}
		for addr := range m.Resources {
			resources[addr] = true
		}
		check := func(expr hcl.Expression, extra map[string]bool) {
			for _, tr := range expr.Variables() {
				if msg := checkTraversal(m, tr, resources, outputs, extra); msg != "" {
					t.Errorf("%s: %s: %s", tr.SourceRange(), renderRoot(tr), msg)
				}
			}
			hclsyntax.VisitAll(expr.(hclsyntax.Expression), func(n hclsyntax.Node) hcl.Diagnostics {
				if fc, ok := n.(*hclsyntax.FunctionCallExpr); ok {
					if _, ok := funcs[fc.Name]; !ok {
						t.Errorf("%s: function %s is not implemented by the evaluator (add it to tfeval.Functions)", fc.NameRange, fc.Name)
					}
				}
				return nil
			})
		}
		for _, body := range m.Files {
			walkBody(body, map[string]bool{}, check)
		}
	}
}

// walkBody calls check for every attribute expression, with the iterator names of enclosing dynamic
// blocks as extra roots.
func walkBody(b *hclsyntax.Body, extra map[string]bool, check func(hcl.Expression, map[string]bool)) {
	for name, a := range b.Attributes {
		if name == "depends_on" || name == "providers" || name == "provider" || name == "configuration_aliases" || name == "iterator" || name == "ignore_changes" {
			continue
		}
		check(a.Expr, extra)
	}
	for _, blk := range b.Blocks {
		switch blk.Type {
		case "moved":
			// from and to are resource addresses, not references: TestMovedBlocks checks them.
			continue
		case "terraform", "variable":
			// Type expressions and constraints, not references.
			if blk.Type == "variable" {
				for name, a := range blk.Body.Attributes {
					if name == "default" {
						check(a.Expr, extra)
					}
				}
				for _, v := range blk.Body.Blocks {
					if v.Type == "validation" {
						walkBody(v.Body, map[string]bool{}, check)
					}
				}
			}
			continue
		case "dynamic":
			iter := blk.Labels[0]
			if a, ok := blk.Body.Attributes["iterator"]; ok {
				iter = hcl.ExprAsKeyword(a.Expr)
			}
			inner := map[string]bool{iter: true}
			for k := range extra {
				inner[k] = true
			}
			for name, a := range blk.Body.Attributes {
				if name != "iterator" {
					check(a.Expr, extra)
				}
			}
			for _, c := range blk.Body.Blocks {
				if c.Type == "content" {
					walkBody(c.Body, inner, check)
				}
			}
			continue
		}
		walkBody(blk.Body, extra, check)
	}
}

// TestMovedBlocks: a moved block leads from an address no longer declared to a resource of the same
// module that is, as Terraform requires, so a renamed resource keeps its state (and a generated secret
// its value) instead of being destroyed and created again.
func TestMovedBlocks(t *testing.T) {
	for _, dir := range moduleDirs(t) {
		m := loadModule(t, dir)
		for _, body := range m.Files {
			for _, blk := range body.Blocks {
				if blk.Type != "moved" {
					continue
				}
				addr := func(name string) string {
					a, ok := blk.Body.Attributes[name]
					if !ok {
						t.Errorf("%s: moved block without %s", blk.DefRange(), name)
						return ""
					}
					tr, diags := hcl.AbsTraversalForExpr(a.Expr)
					if diags.HasErrors() || len(tr) != 2 {
						t.Errorf("%s: moved %s is not a resource address", a.Expr.Range(), name)
						return ""
					}
					return renderRoot(tr)
				}
				from, to := addr("from"), addr("to")
				if _, ok := m.Resources[to]; to != "" && !ok {
					t.Errorf("%s: moved to %s, which this module does not declare", blk.DefRange(), to)
				}
				if _, ok := m.Resources[from]; from != "" && ok {
					t.Errorf("%s: moved from %s, which this module still declares", blk.DefRange(), from)
				}
				if from != "" && to != "" && strings.SplitN(from, ".", 2)[0] != strings.SplitN(to, ".", 2)[0] {
					t.Errorf("%s: moved from %s to %s changes the resource type", blk.DefRange(), from, to)
				}
			}
		}
	}
}

func checkTraversal(m *tfeval.Module, tr hcl.Traversal, resources map[string]bool, outputs map[string]map[string]bool, extra map[string]bool) string {
	root := tr.RootName()
	attr := func(i int) string {
		if len(tr) > i {
			if a, ok := tr[i].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	switch root {
	case "each", "count", "path", "terraform", "self":
		return ""
	case "var":
		if _, ok := m.Variables[attr(1)]; !ok {
			return "undeclared variable"
		}
	case "local":
		if _, ok := m.Locals[attr(1)]; !ok {
			return "undeclared local"
		}
	case "module":
		outs, ok := outputs[attr(1)]
		if !ok {
			return "undeclared module"
		}
		if o := attr(2); o != "" && !outs[o] {
			return "module has no output " + o
		}
	case "data":
		if !resources["data."+attr(1)+"."+attr(2)] {
			return "undeclared data source"
		}
	default:
		if extra[root] {
			return ""
		}
		if !resources[root+"."+attr(1)] {
			return "undeclared resource"
		}
	}
	return ""
}

func renderRoot(tr hcl.Traversal) string {
	var b strings.Builder
	for i, step := range tr {
		if i > 2 {
			break
		}
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		}
	}
	return b.String()
}

// TestPlanTimeEvaluation evaluates the whole configuration for every profile the way `terraform plan`
// would before calling any provider: module arguments converted to the declared types, count and
// for_each known, every expression valid.
func TestPlanTimeEvaluation(t *testing.T) {
	for _, profile := range profiles(t) {
		t.Run(profile, func(t *testing.T) {
			if _, err := tfeval.Evaluate(rootDir, map[string]cty.Value{"profile": cty.StringVal(profile)}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestBackendExample keeps the remote state example an S3 backend with encryption and locking.
func TestBackendExample(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(rootDir, "backend.tf.example"))
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(src, "backend.tf.example", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var backend *hclsyntax.Block
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		for _, inner := range b.Body.Blocks {
			if b.Type == "terraform" && inner.Type == "backend" {
				backend = inner
			}
		}
	}
	if backend == nil || backend.Labels[0] != "s3" {
		t.Fatal("backend.tf.example has no terraform { backend \"s3\" } block")
	}
	for _, want := range []string{"bucket", "key", "region", "encrypt", "use_lockfile"} {
		if backend.Body.Attributes[want] == nil {
			t.Errorf("backend \"s3\" lacks %s", want)
		}
	}
}
