// Command manifests prints the Kubernetes manifests of the hot-path workloads for one profile, filled
// with the values a deploy produced:
//
//	npx cdk deploy --all -c profile=prod --outputs-file cdk-outputs.json
//	go run ./cmd/manifests -profile prod -outputs cdk-outputs.json -tag v1.2.3 | kubectl apply -f -
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/crypto-oms/crypto-oms/cdk/k8s"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "manifests:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("manifests", flag.ContinueOnError)
	profile := fs.String("profile", "dev", "sizing profile")
	outputsPath := fs.String("outputs", "cdk-outputs.json", "file written by cdk deploy --outputs-file")
	tag := fs.String("tag", "", "image tag pushed to the ECR repositories (required: tags are immutable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *tag == "" {
		return fmt.Errorf("-tag is required")
	}
	sizing, err := estate.LoadSizing()
	if err != nil {
		return err
	}
	p, err := sizing.Profile(*profile)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(*outputsPath)
	if err != nil {
		return err
	}
	var outputs map[string]map[string]string
	if err := json.Unmarshal(raw, &outputs); err != nil {
		return fmt.Errorf("%s: %w", *outputsPath, err)
	}
	v, err := k8s.ValuesFromOutputs(outputs, *profile, p.Region, *tag)
	if err != nil {
		return fmt.Errorf("%s lacks outputs (deploy every stack first): %w", *outputsPath, err)
	}
	objs, err := k8s.Render(p, v)
	if err != nil {
		return err
	}
	y, err := k8s.YAML(objs)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(y)
	return err
}
