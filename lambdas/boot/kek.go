package boot

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// MinKEKSecretLen is the shortest key-encryption secret accepted from Secrets Manager.
const MinKEKSecretLen = 40

// KeyEncryptionKey returns the key that seals API secrets, base64 of 32 bytes (keystore.ParseKEK's
// format): OMS_KEY_ENCRYPTION_KEY when set (local runs, tests), else derived from the secret
// OMS_KEY_ENCRYPTION_SECRET_ARN. Secrets Manager cannot generate exactly 32 random bytes, so the estate
// generates a long random string (64 alphanumerics, about 380 bits) and the key is its SHA-256 under a
// fixed label: every function that reads the same secret derives the same key.
func (r *Resolver) KeyEncryptionKey(ctx context.Context) (string, error) {
	if k := r.Env("OMS_KEY_ENCRYPTION_KEY"); k != "" {
		return k, nil
	}
	arn := r.Env("OMS_KEY_ENCRYPTION_SECRET_ARN")
	if arn == "" {
		return "", errors.New("key-encryption key: set OMS_KEY_ENCRYPTION_KEY or OMS_KEY_ENCRYPTION_SECRET_ARN")
	}
	s, err := r.secret(ctx, arn)
	if err != nil {
		return "", fmt.Errorf("key-encryption key: %w", err)
	}
	if len(s) < MinKEKSecretLen {
		return "", fmt.Errorf("key-encryption key: the secret is %d characters, want at least %d", len(s), MinKEKSecretLen)
	}
	sum := sha256.Sum256([]byte("crypto-oms key-encryption key v1\x00" + s))
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}
