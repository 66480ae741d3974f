package tokenize

import "testing"

// testReference is testdata/reference.json, written by
// testdata/make_reference.py with the Hugging Face tokenizers library.
func testReference(t testing.TB) *reference {
	t.Helper()
	ref, err := loadReference("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return ref
}
