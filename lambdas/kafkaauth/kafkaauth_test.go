package kafkaauth_test

import (
	"context"
	"testing"

	"github.com/crypto-oms/crypto-oms/lambdas/kafkaauth"
)

func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		mode  string
		n     int
		fails bool
	}{{"", 0, false}, {"none", 0, false}, {"tls", 1, false}, {"aws-msk-iam", 2, false}, {"kerberos", 0, true}} {
		opts, err := kafkaauth.Options(context.Background(), tc.mode)
		if (err != nil) != tc.fails || len(opts) != tc.n {
			t.Errorf("%q: %d options, err %v", tc.mode, len(opts), err)
		}
	}
}
