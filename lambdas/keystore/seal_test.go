package keystore_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
)

func sealer(t testing.TB) *keystore.Sealer {
	t.Helper()
	s, err := keystore.NewSealer(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpen(t *testing.T) {
	s := sealer(t)
	secret := []byte("0123456789abcdef0123456789abcdef")
	sealed, err := s.Seal("key-1", secret)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, string(secret)) || !strings.HasPrefix(sealed, "v1.") {
		t.Fatalf("sealed form %q", sealed)
	}
	again, _ := s.Seal("key-1", secret)
	if again == sealed {
		t.Error("two seals of one secret are equal: the nonce is not random")
	}
	got, err := s.Open("key-1", sealed)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open = %q, %v", got, err)
	}
	other, _ := keystore.NewSealer(bytes.Repeat([]byte{8}, 32))
	raw, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, "v1."))
	raw[len(raw)-1] ^= 1
	for name, open := range map[string]func() ([]byte, error){
		"another key id":  func() ([]byte, error) { return s.Open("key-2", sealed) },
		"another KEK":     func() ([]byte, error) { return other.Open("key-1", sealed) },
		"tampered":        func() ([]byte, error) { return s.Open("key-1", "v1."+base64.RawURLEncoding.EncodeToString(raw)) },
		"unknown version": func() ([]byte, error) { return s.Open("key-1", "v2."+strings.TrimPrefix(sealed, "v1.")) },
		"truncated":       func() ([]byte, error) { return s.Open("key-1", sealed[:10]) },
	} {
		if _, err := open(); !errors.Is(err, keystore.ErrSealed) {
			t.Errorf("%s: err = %v, want ErrSealed", name, err)
		}
	}
}

func TestParseKEK(t *testing.T) {
	k, err := keystore.NewKEK()
	if err != nil {
		t.Fatal(err)
	}
	b, err := keystore.ParseKEK(k)
	if err != nil || len(b) != 32 {
		t.Fatalf("ParseKEK(NewKEK()) = %d bytes, %v", len(b), err)
	}
	raw := bytes.Repeat([]byte{0xfb}, 32) // '+' and '/' in standard base64, '-' and '_' in URL base64
	for _, s := range []string{base64.StdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw), " " + base64.StdEncoding.EncodeToString(raw) + "\n"} {
		if b, err := keystore.ParseKEK(s); err != nil || !bytes.Equal(b, raw) {
			t.Errorf("ParseKEK(%q) = %x, %v", s, b, err)
		}
	}
	for _, s := range []string{"", "not base64!", base64.StdEncoding.EncodeToString(raw[:16])} {
		if _, err := keystore.ParseKEK(s); err == nil {
			t.Errorf("ParseKEK(%q) accepted", s)
		}
	}
	if _, err := keystore.NewSealer(raw[:16]); err == nil {
		t.Error("AES-128 key accepted")
	}
}

func FuzzOpen(f *testing.F) {
	s := sealer(f)
	good, _ := s.Seal("key-1", []byte("secret"))
	f.Add("key-1", good)
	f.Add("key-1", "v1.")
	f.Add("", "v1.AAAA")
	f.Fuzz(func(t *testing.T, id, sealed string) {
		secret, err := s.Open(id, sealed)
		if err != nil {
			if !errors.Is(err, keystore.ErrSealed) {
				t.Fatalf("error %v is not ErrSealed", err)
			}
			return
		}
		// Only a genuine seal opens; re-sealing it must round-trip.
		resealed, err := s.Seal(id, secret)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := s.Open(id, resealed); err != nil || !bytes.Equal(back, secret) {
			t.Fatalf("re-seal round trip: %q %v", back, err)
		}
	})
}
