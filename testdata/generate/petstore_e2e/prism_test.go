package petstore

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// TestAgainstPrism makes typed calls to Prism mocking petstore.yaml; the
// test in generate/golang starts Prism and sets PRISM_URL.
func TestAgainstPrism(t *testing.T) {
	url := os.Getenv("PRISM_URL")
	if url == "" {
		t.Skip("PRISM_URL not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := New(url, WithUserAgent("prism-test"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetPet(ctx, &GetPetParams{PetID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got.StatusCode != 200 || got.Status200 == nil || got.Status200.Name == "" {
		t.Fatalf("GetPet: want a typed 200 result, got %d %+v", got.StatusCode, got.Status200)
	}
	// listPets needs an API key or OAuth2: without one Prism answers 401.
	_, err = c.ListPets(ctx, nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode/100 != 4 {
		t.Fatalf("ListPets without credentials: want a 4xx *APIError, got %v", err)
	}
	// With the key, the call succeeds and decodes a typed list.
	c, _ = New(url, WithAuth(Auth{APIKey: "k"}))
	pets, err := c.ListPets(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pets.Status200 == nil {
		t.Fatalf("ListPets: no typed 200 body: %s", pets.Body)
	}
}
