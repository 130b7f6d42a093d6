package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	outputs := filepath.Join(t.TempDir(), "cdk-outputs.json")
	raw := `{"CryptoOms-prod-Data":{"MskBootstrapBrokersIam":"b:9098","RedisEndpoint":"r","RedisAuthSecretArn":"arn:r",
	"DocdbEndpoint":"d","DocdbSecretArn":"arn:d","KeyEncryptionSecretArn":"arn:kek","TokenSecretArn":"arn:token"},
	"CryptoOms-prod-Compute":{"ApiKeysSecretArn":"arn:k","RepoGateway":"repo/g","RepoProcessor":"repo/p","RepoMarketdata":"repo/m"},
	"CryptoOms-prod-Edge":{"GatewayTargetGroupArn":"arn:tg"}}`
	if err := os.WriteFile(outputs, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	stdout := os.Stdout
	os.Stdout = devnull
	defer func() { os.Stdout = stdout }()
	if err := run([]string{"-profile", "prod", "-outputs", outputs, "-tag", "v1"}); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-profile", "dev", "-outputs", outputs, "-tag", "v1"}); err == nil || !strings.Contains(err.Error(), "deploy every stack first") {
		t.Errorf("dev outputs missing: err = %v", err)
	}
	if err := run([]string{"-profile", "prod", "-outputs", outputs}); err == nil {
		t.Error("missing -tag accepted")
	}
}
