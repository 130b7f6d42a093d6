// Command cdk is the crypto-oms CDK app: `npx aws-cdk@2 synth` (or deploy) runs it. It only reads the
// context and instantiates the stacks of package stacks.
//
//	-c profile=dev|prod      sizing profile from hotpath/estate/sizing.json (default dev)
//	-c assetDir=DIR          where `make lambdas` put <function>/bootstrap (default ../build/lambdas)
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crypto-oms/crypto-oms/cdk/stacks"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	cfg := stacks.Config{
		Profile:  contextString(app, "profile", "dev"),
		AssetDir: contextString(app, "assetDir", stacks.DefaultAssetDir),
		// Set by the CDK CLI from the caller's credentials; absent, the stacks stay account-agnostic.
		Account: os.Getenv("CDK_DEFAULT_ACCOUNT"),
	}
	if _, err := stacks.Build(app, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "crypto-oms cdk:", err)
		os.Exit(1)
	}
	app.Synth(nil)
}

func contextString(app awscdk.App, key, def string) string {
	if v, ok := app.Node().TryGetContext(jsii.String(key)).(string); ok && v != "" {
		return v
	}
	return def
}
