// Package stacks builds the crypto-oms AWS estate (DESIGN.md §2) as CDK stacks. Every number comes from
// hotpath/estate (sizing.json and routes.json), the file the Terraform code and the cost model read too.
//
// The stacks, in dependency order:
//
//	Network   VPC over three AZs, endpoints, flow logs, the logs key and every security group
//	Data      KMS keys, MSK (IAM auth, TLS, topics), ElastiCache Redis, DocumentDB, their secrets
//	Compute   EKS with managed nodes, ECR repositories, pod identity roles per workload
//	Edge      Lambdas, MSK event source mappings, ALB + listener rules from routes.json, WAF, alarms
//	Frontend  private dashboard bucket behind CloudFront (OAC) with /api/* and /ws to the ALB
package stacks

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// DefaultAssetDir is where `make lambdas` writes <function>/bootstrap, relative to cdk/.
const DefaultAssetDir = "../build/lambdas"

// Config selects what the app builds.
type Config struct {
	// Profile names a sizing profile in hotpath/estate/sizing.json ("dev", "prod").
	Profile string
	// AssetDir holds <function>/bootstrap for every function in estate.Functions.
	AssetDir string
	// Account is the target account; empty leaves the stacks account-agnostic (synth without credentials).
	Account string
}

// Estate is the built app with a handle on each stack, for tests and for main.
type Estate struct {
	Name     string
	Sizing   estate.Profile
	Routes   estate.Routes
	Network  *Network
	Data     *Data
	Compute  *Compute
	Edge     *Edge
	Frontend *Frontend
}

// Stacks lists the stacks in deployment order.
func (e *Estate) Stacks() []awscdk.Stack {
	return []awscdk.Stack{e.Network.Stack, e.Data.Stack, e.Compute.Stack, e.Edge.Stack, e.Frontend.Stack}
}

// Build adds every stack of the estate for cfg to app and attaches the cdk-nag AwsSolutions checks, so
// that `cdk synth` fails on an unsuppressed finding. It returns an error, not a panic, for a bad profile
// or missing Lambda assets.
func Build(app awscdk.App, cfg Config) (e *Estate, err error) {
	// jsii reports construct validation errors as panics; return them as errors instead.
	defer func() {
		if r := recover(); r != nil {
			e, err = nil, fmt.Errorf("build %s estate: %v", cfg.Profile, r)
		}
	}()
	sizing, err := estate.LoadSizing()
	if err != nil {
		return nil, err
	}
	prof, err := sizing.Profile(cfg.Profile)
	if err != nil {
		return nil, err
	}
	routes, err := estate.LoadRoutes()
	if err != nil {
		return nil, err
	}
	assets, err := lambdaAssets(cfg.AssetDir)
	if err != nil {
		return nil, err
	}
	env := &awscdk.Environment{Region: jsii.String(prof.Region)}
	if cfg.Account != "" {
		env.Account = jsii.String(cfg.Account)
	}
	e = &Estate{Name: cfg.Profile, Sizing: prof, Routes: routes}
	prefix := "CryptoOms-" + cfg.Profile + "-"
	props := func(desc string) *awscdk.StackProps {
		return &awscdk.StackProps{Env: env, Description: jsii.String("crypto-oms " + cfg.Profile + ": " + desc)}
	}
	e.Network = NewNetwork(app, prefix+"Network", props("network, flow logs, security groups"), prof)
	e.Data = NewData(app, prefix+"Data", props("MSK, ElastiCache, DocumentDB, keys"), prof, e.Network)
	e.Compute = NewCompute(app, prefix+"Compute", props("EKS, ECR, pod identity"), prof, e.Network, e.Data)
	e.Edge = NewEdge(app, prefix+"Edge", props("Lambdas, ALB, WAF, alarms"), EdgeInput{
		Profile: prof, Routes: routes, Assets: assets, Network: e.Network, Data: e.Data, Compute: e.Compute,
	})
	e.Frontend = NewFrontend(app, prefix+"Frontend", props("dashboard bucket and CloudFront"), prof)
	for _, s := range e.Stacks() {
		awscdk.Tags_Of(s).Add(jsii.String("project"), jsii.String("crypto-oms"), nil)
		awscdk.Tags_Of(s).Add(jsii.String("environment"), jsii.String(cfg.Profile), nil)
		// Per stack, not per app, so one app can hold several profiles (the tests build dev and prod
		// together and synthesize once).
		awscdk.Aspects_Of(s).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	}
	return e, nil
}

// lambdaAssets checks that `make lambdas` ran and returns each function's asset directory.
func lambdaAssets(dir string) (map[string]string, error) {
	if dir == "" {
		dir = DefaultAssetDir
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	var missing []error
	for _, fn := range estate.Functions {
		d := filepath.Join(abs, fn)
		if st, err := os.Stat(filepath.Join(d, "bootstrap")); err != nil || st.IsDir() {
			missing = append(missing, fmt.Errorf("%s/bootstrap", d))
			continue
		}
		out[fn] = d
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("lambda assets missing (run `make lambdas` at the repository root, or set -c assetDir=...): %w", errors.Join(missing...))
	}
	return out, nil
}

// SynthTemplates builds the whole app for one sizing profile with the Lambda code taken from
// assetDir/<function>/bootstrap, synthesizes it into a temporary directory and returns each stack's
// CloudFormation template as parsed JSON, keyed by stack name (for example "CryptoOms-dev-Edge").
//
// It needs node on PATH (jsii) but no AWS credentials; the stacks are account-agnostic. The Terraform
// parity test calls it in-process; its signature is kept stable. Templates are independent of the
// bootstrap files' contents, so placeholder files are enough.
func SynthTemplates(profile, assetDir string) (tpls map[string]map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			tpls, err = nil, fmt.Errorf("synth %s: %v", profile, r)
		}
	}()
	out, err := os.MkdirTemp("", "crypto-oms-cdk-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(out)
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(out)})
	e, err := Build(app, Config{Profile: profile, AssetDir: assetDir})
	if err != nil {
		return nil, err
	}
	asm := app.Synth(nil)
	res := map[string]map[string]any{}
	for _, s := range e.Stacks() {
		name := *s.StackName()
		art := asm.GetStackByName(jsii.String(name))
		// Round-trip through JSON so callers get plain map[string]any/[]any/float64/string values.
		b, err := json.Marshal(art.Template())
		if err != nil {
			return nil, fmt.Errorf("stack %s: %w", name, err)
		}
		var tpl map[string]any
		if err := json.Unmarshal(b, &tpl); err != nil {
			return nil, fmt.Errorf("stack %s: %w", name, err)
		}
		res[name] = tpl
	}
	return res, nil
}
