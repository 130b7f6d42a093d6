package tfeval

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// Unknown is a value Terraform knows only after apply.
type Unknown struct{}

func (Unknown) String() string { return "(known after apply)" }

// Ref is an argument that is a reference to a value known only after apply, rendered with its keys
// resolved, such as `aws_lb_target_group.this[gateway].arn`.
type Ref string

// Instance is one instance of a resource with its arguments in Go form: string, float64, bool, nil,
// []any, map[string]any, Unknown or Ref. A nested block appears under its type as []any of
// map[string]any, one element per block (dynamic blocks expanded).
type Instance struct {
	Addr   string
	Key    any // string for for_each, int for count, nil for a single instance
	Values map[string]any
}

// Result is an evaluated module.
type Result struct {
	Module    *Module
	Vars      map[string]cty.Value
	Locals    map[string]cty.Value
	Outputs   map[string]cty.Value
	Resources map[string][]*Instance
	Children  map[string]*Result
}

// Instances returns the instances of a resource address ("aws_lb.this", "data.x.y").
func (r *Result) Instances(addr string) []*Instance { return r.Resources[addr] }

// Evaluate evaluates the root module in dir with the given root variables, and every module it calls.
func Evaluate(dir string, inputs map[string]cty.Value) (*Result, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	m, err := Load(abs)
	if err != nil {
		return nil, err
	}
	e := &evaluator{root: abs, funcs: Functions(abs)}
	return e.module(m, inputs, ".")
}

type evaluator struct {
	root  string
	funcs map[string]function.Function
}

type scope struct {
	e        *evaluator
	m        *Module
	res      *Result
	pathMod  string
	children map[string]cty.Value
	// shapes holds each resource's instance keys as Terraform knows them at plan time: DynamicVal for a
	// single instance, a tuple for count, an object keyed like for_each. Their attributes stay unknown.
	shapes     map[string]cty.Value
	pendingRes map[string]bool
}

// shape computes the instance keys of r.
func (s *scope) shape(r *Resource) (cty.Value, error) {
	insts, err := s.keys(r)
	if err != nil {
		return cty.NilVal, fmt.Errorf("%s: %s: %w", s.m.Dir, r.Addr, err)
	}
	switch {
	case r.Count != nil:
		if len(insts) == 0 {
			return cty.EmptyTupleVal, nil
		}
		l := make([]cty.Value, len(insts))
		for i := range l {
			l[i] = cty.DynamicVal
		}
		return cty.TupleVal(l), nil
	case r.ForEach != nil:
		m := map[string]cty.Value{}
		for _, k := range insts {
			m[k.key] = cty.DynamicVal
		}
		return objOrEmpty(m), nil
	}
	return cty.DynamicVal, nil
}

type instKey struct {
	key   string
	index int64
	val   cty.Value
}

// keys evaluates count or for_each of r, which Terraform requires to be known at plan time.
func (s *scope) keys(r *Resource) ([]instKey, error) {
	switch {
	case r.Count != nil:
		v, d := r.Count.Value(s.ctx(nil))
		if d.HasErrors() {
			return nil, d
		}
		if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
			return nil, errors.New("count must be a number known at plan time")
		}
		n, _ := v.AsBigFloat().Int64()
		out := make([]instKey, n)
		for i := range n {
			out[i] = instKey{index: i}
		}
		return out, nil
	case r.ForEach != nil:
		v, d := r.ForEach.Value(s.ctx(nil))
		if d.HasErrors() {
			return nil, d
		}
		if !v.IsKnown() || v.IsNull() {
			return nil, errors.New("for_each must be known at plan time")
		}
		ty := v.Type()
		var out []instKey
		switch {
		case ty.IsSetType():
			if !v.IsWhollyKnown() {
				return nil, errors.New("for_each set must be wholly known at plan time")
			}
			for it := v.ElementIterator(); it.Next(); {
				_, el := it.Element()
				if el.Type() != cty.String {
					return nil, errors.New("for_each set must hold strings")
				}
				out = append(out, instKey{key: el.AsString(), val: el})
			}
		case ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				k, el := it.Element()
				out = append(out, instKey{key: k.AsString(), val: el})
			}
		default:
			return nil, fmt.Errorf("for_each must be a map or a set of strings, got %s", ty.FriendlyName())
		}
		return out, nil
	}
	return []instKey{{}}, nil
}

func (s *scope) ctx(extra map[string]cty.Value) *hcl.EvalContext {
	vars := map[string]cty.Value{
		"var":       objOrEmpty(s.res.Vars),
		"local":     objOrEmpty(s.res.Locals),
		"path":      cty.ObjectVal(map[string]cty.Value{"root": cty.StringVal("."), "module": cty.StringVal(s.pathMod), "cwd": cty.StringVal(s.e.root)}),
		"terraform": cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")}),
	}
	mods := map[string]cty.Value{}
	for name := range s.m.Calls {
		mods[name] = cty.DynamicVal
		if v, ok := s.children[name]; ok {
			mods[name] = v
		}
	}
	vars["module"] = objOrEmpty(mods)
	// Resources: keys known, attributes known only after apply.
	byType := map[string]map[string]cty.Value{}
	data := map[string]map[string]cty.Value{}
	for _, r := range s.m.Resources {
		shape, ok := s.shapes[r.Addr]
		if !ok {
			shape = cty.DynamicVal
		}
		dst := byType
		if r.Data {
			dst = data
		}
		if dst[r.Type] == nil {
			dst[r.Type] = map[string]cty.Value{}
		}
		dst[r.Type][r.Name] = shape
	}
	for typ, names := range byType {
		vars[typ] = cty.ObjectVal(names)
	}
	dataTypes := map[string]cty.Value{}
	for typ, names := range data {
		dataTypes[typ] = cty.ObjectVal(names)
	}
	vars["data"] = objOrEmpty(dataTypes)
	for k, v := range extra {
		vars[k] = v
	}
	return &hcl.EvalContext{Variables: vars, Functions: s.e.funcs}
}

func objOrEmpty(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

func (e *evaluator) module(m *Module, inputs map[string]cty.Value, pathMod string) (*Result, error) {
	res := &Result{Module: m, Vars: map[string]cty.Value{}, Locals: map[string]cty.Value{}, Outputs: map[string]cty.Value{},
		Resources: map[string][]*Instance{}, Children: map[string]*Result{}}
	s := &scope{e: e, m: m, res: res, pathMod: pathMod, children: map[string]cty.Value{}, shapes: map[string]cty.Value{}}
	var errs []error
	for name := range inputs {
		if _, ok := m.Variables[name]; !ok {
			errs = append(errs, fmt.Errorf("%s: argument %q is not a declared variable", m.Dir, name))
		}
	}
	for name, v := range m.Variables {
		val, given := inputs[name]
		if !given {
			if v.Default == nil {
				errs = append(errs, fmt.Errorf("%s: required variable %q not set", m.Dir, name))
				continue
			}
			var d hcl.Diagnostics
			val, d = v.Default.Value(nil)
			if d.HasErrors() {
				errs = append(errs, fmt.Errorf("%s: default of %q: %s", m.Dir, name, d.Error()))
				continue
			}
		}
		if v.Defaults != nil {
			val = v.Defaults.Apply(val)
		}
		cv, err := convert.Convert(val, v.Type)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: variable %q: %w", m.Dir, name, err))
			continue
		}
		res.Vars[name] = cv
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, name := range sortedKeys(m.Variables) {
		for _, val := range m.Variables[name].Validations {
			ok, d := val.Condition.Value(s.ctx(nil))
			if d.HasErrors() {
				return nil, fmt.Errorf("%s: validation of %q: %s", m.Dir, name, d.Error())
			}
			if ok.IsKnown() && !ok.IsNull() && ok.Type() == cty.Bool && ok.False() {
				msg, _ := val.ErrorMessage.Value(nil)
				text := "invalid value"
				if msg.IsKnown() && msg.Type() == cty.String {
					text = msg.AsString()
				}
				return nil, fmt.Errorf("%s: variable %q: %s", m.Dir, name, text)
			}
		}
	}

	// Locals and module calls in dependency order.
	pendingLocals := map[string]bool{}
	for n := range m.Locals {
		pendingLocals[n] = true
	}
	pendingCalls := map[string]bool{}
	for n := range m.Calls {
		pendingCalls[n] = true
	}
	pendingRes := map[string]bool{}
	for addr := range m.Resources {
		pendingRes[addr] = true
	}
	s.pendingRes = pendingRes
	for len(pendingLocals)+len(pendingCalls)+len(pendingRes) > 0 {
		progress := false
		for _, addr := range sortedKeys(pendingRes) {
			r := m.Resources[addr]
			expr := r.ForEach
			if expr == nil {
				expr = r.Count
			}
			if expr != nil && !s.ready(expr, pendingLocals, pendingCalls) {
				continue
			}
			shape, err := s.shape(r)
			if err != nil {
				return nil, err
			}
			s.shapes[addr] = shape
			delete(pendingRes, addr)
			progress = true
		}
		for _, n := range sortedKeys(pendingLocals) {
			expr := m.Locals[n]
			if !s.ready(expr, pendingLocals, pendingCalls) {
				continue
			}
			v, d := expr.Value(s.ctx(nil))
			if d.HasErrors() {
				return nil, fmt.Errorf("%s: local.%s: %s", m.Dir, n, d.Error())
			}
			res.Locals[n] = v
			delete(pendingLocals, n)
			progress = true
		}
		for _, n := range sortedKeys(pendingCalls) {
			c := m.Calls[n]
			ok := true
			for _, a := range c.Args {
				ok = ok && s.ready(a, pendingLocals, pendingCalls)
			}
			if !ok {
				continue
			}
			if err := s.call(c); err != nil {
				return nil, err
			}
			delete(pendingCalls, n)
			progress = true
		}
		if !progress {
			return nil, fmt.Errorf("%s: cannot order locals %v, modules %v and resources %v (cycle or undeclared reference)", m.Dir, sortedKeys(pendingLocals), sortedKeys(pendingCalls), sortedKeys(pendingRes))
		}
	}

	for _, addr := range sortedKeys(m.Resources) {
		insts, err := s.instances(m.Resources[addr])
		if err != nil {
			return nil, err
		}
		res.Resources[addr] = insts
	}
	for name, expr := range m.Outputs {
		v, d := expr.Value(s.ctx(nil))
		if d.HasErrors() {
			return nil, fmt.Errorf("%s: output %s: %s", m.Dir, name, d.Error())
		}
		res.Outputs[name] = v
	}
	return res, nil
}

// ready reports whether every local, module and resource key set an expression names is evaluated
// already.
func (s *scope) ready(expr hcl.Expression, locals, calls map[string]bool) bool {
	for _, t := range expr.Variables() {
		if len(t) < 2 {
			continue
		}
		attr, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		switch t.RootName() {
		case "data":
			if len(t) > 2 {
				if name, ok := t[2].(hcl.TraverseAttr); ok && s.pendingRes["data."+attr.Name+"."+name.Name] {
					return false
				}
			}
		case "local":
			if locals[attr.Name] {
				return false
			}
		case "module":
			if calls[attr.Name] {
				return false
			}
		default:
			// A resource: its instance keys must be known first.
			if s.pendingRes[t.RootName()+"."+attr.Name] {
				return false
			}
		}
	}
	return true
}

func (s *scope) call(c *Call) error {
	dir, err := s.m.ChildDir(c)
	if err != nil {
		return err
	}
	child, err := Load(dir)
	if err != nil {
		return err
	}
	inputs := map[string]cty.Value{}
	for name, expr := range c.Args {
		v, d := expr.Value(s.ctx(nil))
		if d.HasErrors() {
			return fmt.Errorf("%s: module %s argument %s: %s", s.m.Dir, c.Name, name, d.Error())
		}
		inputs[name] = v
	}
	rel, _ := filepath.Rel(s.e.root, dir)
	res, err := s.e.module(child, inputs, rel)
	if err != nil {
		return fmt.Errorf("module %s: %w", c.Name, err)
	}
	s.res.Children[c.Name] = res
	s.children[c.Name] = objOrEmpty(res.Outputs)
	return nil
}

func (s *scope) instances(r *Resource) ([]*Instance, error) {
	keys, err := s.keys(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", s.m.Dir, r.Addr, err)
	}
	out := make([]*Instance, 0, len(keys))
	for _, k := range keys {
		var inst *Instance
		switch {
		case r.Count != nil:
			ctx := s.ctx(map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(k.index)})})
			vals, err := s.body(r.Body, ctx)
			if err != nil {
				return nil, fmt.Errorf("%s: %s[%d]: %w", s.m.Dir, r.Addr, k.index, err)
			}
			inst = &Instance{Addr: fmt.Sprintf("%s[%d]", r.Addr, k.index), Key: int(k.index), Values: vals}
		case r.ForEach != nil:
			inst, err = s.each(r, k.key, k.val)
			if err != nil {
				return nil, fmt.Errorf("%s: %s%w", s.m.Dir, r.Addr, err)
			}
		default:
			vals, err := s.body(r.Body, s.ctx(nil))
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", s.m.Dir, r.Addr, err)
			}
			inst = &Instance{Addr: r.Addr, Values: vals}
		}
		out = append(out, inst)
	}
	return out, nil
}

func (s *scope) each(r *Resource, key string, val cty.Value) (*Instance, error) {
	ctx := s.ctx(map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(key), "value": val})})
	vals, err := s.body(r.Body, ctx)
	if err != nil {
		return nil, fmt.Errorf("[%q]: %w", key, err)
	}
	return &Instance{Addr: fmt.Sprintf("%s[%q]", r.Addr, key), Key: key, Values: vals}, nil
}

// resourceMeta are arguments and blocks that configure Terraform, not the resource.
var resourceMeta = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true, "lifecycle": true, "provisioner": true, "connection": true}

func (s *scope) body(b *hclsyntax.Body, ctx *hcl.EvalContext) (map[string]any, error) {
	return s.nested(b, ctx, true)
}

// nested evaluates a body; meta-arguments exist only at the top level of a resource.
func (s *scope) nested(b *hclsyntax.Body, ctx *hcl.EvalContext, top bool) (map[string]any, error) {
	out := map[string]any{}
	for name, a := range b.Attributes {
		if top && resourceMeta[name] {
			continue
		}
		v, err := attrValue(a.Expr, ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = v
	}
	for _, blk := range b.Blocks {
		if top && resourceMeta[blk.Type] {
			continue
		}
		if blk.Type != "dynamic" {
			v, err := s.nested(blk.Body, ctx, false)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", blk.Type, err)
			}
			out[blk.Type] = append(asList(out[blk.Type]), v)
			continue
		}
		label := blk.Labels[0]
		iter := label
		if a, ok := blk.Body.Attributes["iterator"]; ok {
			iter = hcl.ExprAsKeyword(a.Expr)
		}
		fe, ok := blk.Body.Attributes["for_each"]
		if !ok {
			return nil, fmt.Errorf("dynamic %q has no for_each", label)
		}
		var content *hclsyntax.Block
		for _, c := range blk.Body.Blocks {
			if c.Type == "content" {
				content = c
			}
		}
		if content == nil {
			return nil, fmt.Errorf("dynamic %q has no content block", label)
		}
		coll, d := fe.Expr.Value(ctx)
		if d.HasErrors() {
			return nil, fmt.Errorf("dynamic %q: %s", label, d.Error())
		}
		if !coll.IsKnown() || coll.IsNull() || !coll.CanIterateElements() {
			return nil, fmt.Errorf("dynamic %q: for_each must be a known collection", label)
		}
		list := asList(out[label])
		for it := coll.ElementIterator(); it.Next(); {
			k, el := it.Element()
			child := ctx.NewChild()
			child.Variables = map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": k, "value": el})}
			v, err := s.nested(content.Body, child, false)
			if err != nil {
				return nil, fmt.Errorf("dynamic %q: %w", label, err)
			}
			list = append(list, v)
		}
		out[label] = list
	}
	return out, nil
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return nil
}

// attrValue evaluates one argument. An argument whose value is only known after apply and that is a
// plain reference (`aws_x.y.arn`, `aws_x.y[each.key].arn`, `var.m[each.value.f]`) becomes a Ref with
// its keys resolved, so tests can check what it points at.
func attrValue(expr hcl.Expression, ctx *hcl.EvalContext) (any, error) {
	v, d := expr.Value(ctx)
	if d.HasErrors() {
		return nil, errors.New(d.Error())
	}
	if !v.IsWhollyKnown() {
		if ref, ok := symbolic(expr, ctx); ok {
			return Ref(ref), nil
		}
	}
	return ToGo(v), nil
}

func symbolic(expr hcl.Expression, ctx *hcl.EvalContext) (string, bool) {
	switch x := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		return renderTraversal(x.Traversal), true
	case *hclsyntax.IndexExpr:
		coll, ok := symbolic(x.Collection, ctx)
		if !ok {
			return "", false
		}
		k, d := x.Key.Value(ctx)
		if d.HasErrors() || !k.IsWhollyKnown() || k.IsNull() {
			return "", false
		}
		return coll + "[" + renderKey(k) + "]", true
	case *hclsyntax.RelativeTraversalExpr:
		src, ok := symbolic(x.Source, ctx)
		if !ok {
			return "", false
		}
		return src + renderTraversal(x.Traversal), true
	}
	return "", false
}

func renderTraversal(t hcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			b.WriteString("[" + renderKey(s.Key) + "]")
		case hcl.TraverseSplat:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

func renderKey(k cty.Value) string {
	if k.Type() == cty.String {
		return k.AsString()
	}
	if k.Type() == cty.Number {
		return k.AsBigFloat().Text('f', -1)
	}
	return fmt.Sprintf("%#v", k)
}

// ToGo converts a cty value to plain Go values; unknown parts become Unknown.
func ToGo(v cty.Value) any {
	if !v.IsKnown() {
		return Unknown{}
	}
	if v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return f
	case ty == cty.Bool:
		return v.True()
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, el := it.Element()
			out = append(out, ToGo(el))
		}
		return out
	case ty.IsMapType() || ty.IsObjectType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, el := it.Element()
			out[k.AsString()] = ToGo(el)
		}
		return out
	}
	return Unknown{}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
