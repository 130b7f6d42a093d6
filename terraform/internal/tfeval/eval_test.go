package tfeval_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/crypto-oms/crypto-oms/terraform/internal/tfeval"
)

func TestCidrSubnet(t *testing.T) {
	f := tfeval.Functions(".")["cidrsubnet"]
	for _, tc := range []struct {
		prefix        string
		newbits, num  int64
		want, wantErr string
	}{
		{prefix: "10.40.0.0/16", newbits: 8, num: 2, want: "10.40.2.0/24"},
		{prefix: "10.40.0.0/16", newbits: 4, num: 3, want: "10.40.48.0/20"},
		{prefix: "10.40.0.0/16", newbits: 8, num: 66, want: "10.40.66.0/24"},
		{prefix: "10.40.0.0/16", newbits: 2, num: 4, wantErr: "does not fit"},
	} {
		got, err := f.Call([]cty.Value{cty.StringVal(tc.prefix), cty.NumberIntVal(tc.newbits), cty.NumberIntVal(tc.num)})
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("cidrsubnet(%s, %d, %d) error = %v, want %q", tc.prefix, tc.newbits, tc.num, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got.AsString() != tc.want {
			t.Errorf("cidrsubnet(%s, %d, %d) = %v, %v; want %s", tc.prefix, tc.newbits, tc.num, got, err, tc.want)
		}
	}
}

func writeModule(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRefsAndKeys: for_each keys come from configuration, unknown references stay symbolic with their
// keys resolved, and nested blocks named like meta-arguments are kept.
func TestRefsAndKeys(t *testing.T) {
	dir := writeModule(t, `
variable "targets" {
  type = map(string)
}
resource "aws_lb_target_group" "this" {
  for_each = var.targets
  name     = each.value
}
resource "aws_lb_listener_rule" "r" {
  for_each = var.targets
  action {
    target_group_arn = aws_lb_target_group.this[each.key].arn
  }
}
resource "aws_eks_cluster" "c" {
  encryption_config {
    provider {
      key_arn = "k"
    }
  }
}
resource "aws_thing" "counted" {
  for_each = aws_lb_target_group.this
  n        = length(aws_lb_target_group.this)
}
`)
	r, err := tfeval.Evaluate(dir, map[string]cty.Value{"targets": cty.MapVal(map[string]cty.Value{"gw": cty.StringVal("gateway")})})
	if err != nil {
		t.Fatal(err)
	}
	rule := r.Instances("aws_lb_listener_rule.r")[0]
	action := rule.Values["action"].([]any)[0].(map[string]any)
	if got := action["target_group_arn"]; got != tfeval.Ref("aws_lb_target_group.this[gw].arn") {
		t.Errorf("target_group_arn = %#v", got)
	}
	c := r.Instances("aws_eks_cluster.c")[0].Values
	if c["encryption_config"].([]any)[0].(map[string]any)["provider"] == nil {
		t.Error("nested provider block dropped")
	}
	if got := r.Instances("aws_thing.counted")[0].Values["n"]; got != float64(1) {
		t.Errorf("length of a for_each resource = %v, want 1", got)
	}
}

// TestPlanTimeErrors: what Terraform rejects at plan, the evaluator rejects too.
func TestPlanTimeErrors(t *testing.T) {
	for name, tc := range map[string]struct{ src, want string }{
		"unknown for_each": {`
resource "aws_a" "a" {}
resource "aws_b" "b" {
  for_each = toset([aws_a.a.id])
}`, "for_each set must be wholly known"},
		"undeclared local": {`
resource "aws_b" "b" {
  x = local.missing
}`, "Unsupported attribute"},
		"inconsistent conditional": {`
variable "w" {
  type    = list(string)
  default = ["x"]
}
locals {
  l = length(var.w) > 0 ? [{ a = var.w }, { b = var.w, c = 1 }] : []
}`, "Inconsistent conditional result types"},
		"unknown function": {`
locals {
  l = timestamp()
}`, "no function named"},
		"failed validation": {`
variable "user" {
  type    = string
  default = "Admin"
  validation {
    condition     = !contains(["admin"], lower(var.user))
    error_message = "reserved word"
  }
}`, "reserved word"},
		"missing required variable": {`
variable "v" {
  type = string
}`, "required variable"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := tfeval.Evaluate(writeModule(t, tc.src), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}
