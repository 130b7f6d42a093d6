package boot

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// MinKEKSecretLen is the shortest key-deriving secret (key-encryption, stream tokens) accepted from
// Secrets Manager.
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
	sum, err := r.derived(ctx, arn, "crypto-oms key-encryption key v1")
	if err != nil {
		return "", fmt.Errorf("key-encryption key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}

// derived fetches the secret arn and returns its SHA-256 under label: one random string per purpose,
// and a key of exactly 32 bytes whatever Secrets Manager generated.
func (r *Resolver) derived(ctx context.Context, arn, label string) ([32]byte, error) {
	s, err := r.secret(ctx, arn)
	if err != nil {
		return [32]byte{}, err
	}
	if len(s) < MinKEKSecretLen {
		return [32]byte{}, fmt.Errorf("the secret is %d characters, want at least %d", len(s), MinKEKSecretLen)
	}
	return sha256.Sum256([]byte(label + "\x00" + s)), nil
}
