package keystore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KEKSize is the size of a key-encryption key: AES-256.
const KEKSize = 32

// sealedPrefix versions the sealed format, so a later key-encryption-key rotation can tell old seals
// from new ones.
const sealedPrefix = "v1."

// ErrSealed is returned when a sealed secret cannot be opened: wrong key-encryption key, tampering,
// or a seal moved to another key id.
var ErrSealed = errors.New("sealed secret cannot be opened")

// ParseKEK decodes a key-encryption key given as base64 (standard or URL alphabet, padded or not) of
// exactly 32 bytes, as OMS_KEY_ENCRYPTION_KEY carries it.
func ParseKEK(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != KEKSize {
				return nil, fmt.Errorf("key-encryption key: %d bytes, want %d", len(b), KEKSize)
			}
			return b, nil
		}
	}
	return nil, errors.New("key-encryption key: not base64")
}

// NewKEK returns a random key-encryption key, base64-encoded (what a local run stores in its data dir).
func NewKEK() (string, error) {
	b := make([]byte, KEKSize)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new key-encryption key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// Sealer seals API secrets with AES-256-GCM under the key-encryption key. The key id is authenticated
// data: a sealed secret copied onto another key's record does not open.
type Sealer struct{ aead cipher.AEAD }

// NewSealer returns a sealer for a 32-byte key-encryption key.
func NewSealer(kek []byte) (*Sealer, error) {
	if len(kek) != KEKSize {
		return nil, fmt.Errorf("new sealer: key-encryption key of %d bytes, want %d", len(kek), KEKSize)
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, fmt.Errorf("new sealer: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("new sealer: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

func aad(keyID string) []byte { return []byte("oms-api-key:" + keyID) }

// Seal returns "v1." + base64url(nonce || ciphertext) of secret, bound to keyID.
func (s *Sealer) Seal(keyID string, secret []byte) (string, error) {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(secret)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	out := s.aead.Seal(nonce, nonce, secret, aad(keyID))
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open returns the secret sealed for keyID; any failure is ErrSealed.
func (s *Sealer) Open(keyID, sealed string) ([]byte, error) {
	body, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: unknown format", ErrSealed)
	}
	b, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(b) < s.aead.NonceSize()+s.aead.Overhead() {
		return nil, fmt.Errorf("%w: malformed", ErrSealed)
	}
	n := s.aead.NonceSize()
	secret, err := s.aead.Open(nil, b[:n], b[n:], aad(keyID))
	if err != nil {
		return nil, fmt.Errorf("%w: authentication failed", ErrSealed)
	}
	return secret, nil
}
