// Package envscan reports which OMS_* environment variables a Go main package reads, from its source:
// the names it passes as string literals (os.Getenv("OMS_X"), env("OMS_X", def)) plus the names read by
// the lambdas/boot Resolver methods it calls (MongoURI reads OMS_MONGO_URI, OMS_DOCDB_SECRET_ARN, ...).
// The CDK tests and the Terraform checks hold each function's and workload's environment to it, so a
// stack cannot set a variable nobody reads, nor leave out one a main needs.
package envscan

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// BootImport is the import path of the package whose Resolver reads configuration for mains.
const BootImport = "github.com/crypto-oms/crypto-oms/lambdas/boot"

var name = regexp.MustCompile(`^OMS_[A-Z0-9_]+$`)

// Reads returns the OMS_* names the main package in dir reads, directly or through the boot Resolver
// methods it calls; bootDir is lambdas/boot.
func Reads(dir, bootDir string) (map[string]bool, error) {
	files, err := parseDir(dir)
	if err != nil {
		return nil, err
	}
	methods, err := ResolverReads(bootDir)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, f := range files {
		usesBoot := false
		for _, im := range f.Imports {
			if p, _ := strconv.Unquote(im.Path.Value); p == BootImport {
				usesBoot = true
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.BasicLit:
				if s, ok := literal(x); ok {
					out[s] = true
				}
			case *ast.SelectorExpr:
				if usesBoot {
					for _, v := range methods[x.Sel.Name] {
						out[v] = true
					}
				}
			}
			return true
		})
	}
	return out, nil
}

// ResolverReads maps each method of boot's Resolver to the OMS_* names it reads, following calls to
// the Resolver's other methods.
func ResolverReads(bootDir string) (map[string][]string, error) {
	files, err := parseDir(bootDir)
	if err != nil {
		return nil, err
	}
	direct := map[string]map[string]bool{}
	calls := map[string]map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 || receiverType(fn.Recv.List[0].Type) != "Resolver" {
				continue
			}
			m := fn.Name.Name
			direct[m], calls[m] = map[string]bool{}, map[string]bool{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.BasicLit:
					if s, ok := literal(x); ok {
						direct[m][s] = true
					}
				case *ast.SelectorExpr:
					calls[m][x.Sel.Name] = true
				}
				return true
			})
		}
	}
	if len(direct) == 0 {
		return nil, fmt.Errorf("envscan: no Resolver methods in %s", bootDir)
	}
	out := map[string][]string{}
	for m := range direct {
		seen, names := map[string]bool{}, map[string]bool{}
		var walk func(string)
		walk = func(m string) {
			if seen[m] {
				return
			}
			seen[m] = true
			for n := range direct[m] {
				names[n] = true
			}
			for c := range calls[m] {
				if _, ok := direct[c]; ok {
					walk(c)
				}
			}
		}
		walk(m)
		// Unexported helpers are reached through the exported methods; only those matter to mains.
		if !ast.IsExported(m) {
			continue
		}
		for n := range names {
			out[m] = append(out[m], n)
		}
	}
	return out, nil
}

func receiverType(e ast.Expr) string {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func literal(x *ast.BasicLit) (string, bool) {
	if x.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(x.Value)
	if err != nil || !name.MatchString(s) {
		return "", false
	}
	return s, true
}

// parseDir parses the non-test Go files of one directory.
func parseDir(dir string) ([]*ast.File, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("envscan: %w", err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("envscan: %w", err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("envscan: no Go files in %s", dir)
	}
	return files, nil
}

// Platform is where a main runs; it decides what may come from a file.
type Platform int

const (
	// Lambda functions get nothing mounted: every secret comes as a Secrets Manager ARN.
	Lambda Platform = iota
	// Pod workloads may read files the pod mounts (the CSI secret volume, the CA ConfigMap).
	Pod
)

// Check holds one environment (as a deploy sets it) to what the main reads (Reads), for AWS:
//   - every variable set is one the main reads;
//   - secrets come as ARNs: the store from OMS_DOCDB_SECRET_ARN + OMS_DOCDB_ENDPOINT, never a
//     OMS_MONGO_URI with the password in it; the key-encryption key and the token key (browser
//     sessions, WebSocket tokens) from their secrets, never the keys;
//     on Lambda the API keys from their secret, never a file;
//   - a main that can produce to Kafka gets the brokers and OMS_KAFKA_AUTH=aws-msk-iam (MSK only
//     accepts IAM), and one that names a dead-letter topic gets it;
//   - a pod names its DocumentDB CA bundle (a function finds it in its asset).
func Check(reads map[string]bool, env map[string]string, on Platform) []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	for k := range env {
		if name.MatchString(k) && !reads[k] {
			bad("sets %s, which the main never reads", k)
		}
	}
	need := func(k, why string) {
		if !reads[k] {
			bad("the main does not read %s (%s): resolve it through lambdas/boot", k, why)
		} else if env[k] == "" {
			bad("%s is not set (%s)", k, why)
		}
	}
	forbid := func(k, why string) {
		if _, ok := env[k]; ok {
			bad("sets %s: %s", k, why)
		}
	}
	if reads["OMS_MONGO_URI"] || reads["OMS_DOCDB_SECRET_ARN"] {
		need("OMS_DOCDB_SECRET_ARN", "the store's credentials")
		need("OMS_DOCDB_ENDPOINT", "the store's host:port")
		forbid("OMS_MONGO_URI", "a URI would carry the DocumentDB password in plain text")
		if on == Pod {
			need("OMS_DOCDB_CA_FILE", "the DocumentDB CA bundle; only a Lambda asset has a default")
		}
	}
	if reads["OMS_KEY_ENCRYPTION_KEY"] || reads["OMS_KEY_ENCRYPTION_SECRET_ARN"] {
		need("OMS_KEY_ENCRYPTION_SECRET_ARN", "the key sealing API secrets, derived from its secret")
		forbid("OMS_KEY_ENCRYPTION_KEY", "the key itself must not sit in the environment")
	}
	if reads["OMS_TOKEN_SECRET"] || reads["OMS_TOKEN_SECRET_ARN"] {
		need("OMS_TOKEN_SECRET_ARN", "the key signing browser sessions and WebSocket tokens, shared by every gateway pod and the functions verifying sessions")
		forbid("OMS_TOKEN_SECRET", "the key itself must not sit in the environment")
	}
	if on == Lambda && (reads["OMS_API_KEYS_FILE"] || reads["OMS_API_KEYS_SECRET_ARN"]) {
		need("OMS_API_KEYS_SECRET_ARN", "the bootstrap API keys; a function has no mounted files")
		forbid("OMS_API_KEYS_FILE", "a function has no mounted files")
	}
	if reads["OMS_KAFKA_BROKERS"] {
		need("OMS_KAFKA_BROKERS", "the MSK bootstrap brokers")
		need("OMS_KAFKA_AUTH", "MSK accepts only TLS + IAM")
		if v, ok := env["OMS_KAFKA_AUTH"]; ok && v != "aws-msk-iam" {
			bad("OMS_KAFKA_AUTH=%q, want aws-msk-iam: MSK accepts only TLS + IAM", v)
		}
		forbid("OMS_KAFKA_TLS", "OMS_KAFKA_AUTH=aws-msk-iam already means TLS")
	}
	if reads["OMS_DLQ_TOPIC"] {
		need("OMS_DLQ_TOPIC", "where poison records go; the default need not match the deployed topic")
	}
	return errs
}
