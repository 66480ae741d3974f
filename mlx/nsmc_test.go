package mlx

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGitBlobID(t *testing.T) {
	p := filepath.Join(t.TempDir(), "hello")
	write(t, p, []byte("hello\n"))
	// `printf 'hello\n' | git hash-object --stdin`
	if got, err := GitBlobID(p); err != nil || got != "ce013625030ba8dba906f756967f9e9ca394464a" {
		t.Fatalf("GitBlobID = %q, %v", got, err)
	}
}

// fakeNSMC is a canonical-format file: pandas quoting, an empty review, and
// a review (id 6) whose text repeats a labelled one.
const fakeTrain = "id\tdocument\tlabel\n" +
	"1\tgood\t1\n" +
	"2\t\"\"\"quoted\"\" bad\"\t0\n" +
	"3\t\t0\n" +
	"4\tfine\t1\n" +
	"5\tawful\t0\n" +
	"6\tgood\t1\n" +
	"7\tmeh\t0\n"

const fakeTest = "id\tdocument\tlabel\n" +
	"8\tyes\t1\n" +
	"9\tno\t0\n" +
	"10\tmore\t1\n"

func TestDeriveNSMC(t *testing.T) {
	dir := t.TempDir()
	train, test := filepath.Join(dir, "train"), filepath.Join(dir, "test")
	write(t, train, []byte(fakeTrain))
	write(t, test, []byte(fakeTest))
	out := filepath.Join(dir, "out")
	if err := deriveNSMC(train, test, out, 2, 1); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ratings_train.txt": "id\tdocument\tlabel\n1\tgood\t1\n2\t\"quoted\" bad\t0\n4\tfine\t1\n5\tawful\t0\n",
		"ratings_test.txt":  "id\tdocument\tlabel\n8\tyes\t1\n9\tno\t0\n",
		"corpus_ko.txt":     "meh\nmore\n", // "good" (id 6) is in the train file already
	}
	for name, w := range want {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || string(b) != w {
			t.Errorf("%s = %q, %v; want %q", name, b, err, w)
		}
	}
	if err := deriveNSMC(train, test, t.TempDir(), 4, 1); err == nil || !strings.Contains(err.Error(), "too few") {
		t.Errorf("4 per class from 3 positives: err = %v, want too few", err)
	}
	write(t, train, []byte("id\ttext\n"))
	if err := deriveNSMC(train, test, t.TempDir(), 1, 1); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("bad header: err = %v", err)
	}
	write(t, train, []byte("id\tdocument\tlabel\n1\tgood\t5\n"))
	if err := deriveNSMC(train, test, t.TempDir(), 1, 1); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad label: err = %v, want it to name line 2", err)
	}
}

// TestFetchNSMC serves fake canonical files from a local "GitHub" and checks
// that a file with the wrong blob id is refused and nothing is kept, and that
// the right ones are derived into the cache, where DataPath finds them.
func TestFetchNSMC(t *testing.T) {
	_, cache := isolate(t)
	t.Setenv("BAEUM_OFFLINE", "")
	dir := t.TempDir()
	files := map[string]string{"ratings_train.txt": fakeTrain, "ratings_test.txt": fakeTest}
	var blobs []nsmcSource
	for _, name := range []string{"ratings_train.txt", "ratings_test.txt"} {
		write(t, filepath.Join(dir, name), []byte(files[name]))
		id, err := GitBlobID(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		blobs = append(blobs, nsmcSource{name, id})
	}
	oldSources, oldCounts := nsmcSources, nsmcPerClass
	nsmcSources, nsmcPerClass = blobs, [2]int{2, 1}
	t.Cleanup(func() { nsmcSources, nsmcPerClass = oldSources, oldCounts })

	served := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := served[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(b))
	}))
	defer srv.Close()
	t.Setenv(GitHubRawEnv, srv.URL)

	served["/e9t/nsmc/master/ratings_train.txt"] = fakeTrain + "11\textra\t1\n" // not the published file
	served["/e9t/nsmc/master/ratings_test.txt"] = fakeTest
	err := fetchNSMC(cache)
	if err == nil || !strings.Contains(err.Error(), "blob id") {
		t.Fatalf("tampered file: err = %v, want a blob id mismatch", err)
	}
	if _, err := os.Stat(filepath.Join(cache, "nsmc", "canonical", "ratings_train.txt")); !os.IsNotExist(err) {
		t.Fatalf("a refused download was kept: %v", err)
	}

	served["/e9t/nsmc/master/ratings_train.txt"] = fakeTrain
	derived := filepath.Join(t.TempDir(), "expect")
	if err := deriveNSMC(filepath.Join(dir, "ratings_train.txt"), filepath.Join(dir, "ratings_test.txt"), derived, 2, 1); err != nil {
		t.Fatal(err)
	}
	expect, _ := FileSHA256(filepath.Join(derived, "ratings_train.txt"))
	withFile(t, dataFile{rel: "nsmc/ratings_train.txt", sha256: "0000", derived: expect, derive: deriveNSMCFiles})
	p, err := DataPath("nsmc/ratings_train.txt")
	if err != nil || p != filepath.Join(cache, "nsmc", "ratings_train.txt") {
		t.Fatalf("DataPath = %q, %v", p, err)
	}
	// The canonical files stay in the cache; a second derivation reads them
	// without the network.
	srv.Close()
	if err := fetchNSMC(cache); err != nil {
		t.Fatalf("re-deriving from the cached canonical files: %v", err)
	}
}

// TestNSMCDerivedHashes derives the course's subset from the real canonical
// files, when a folder with them is given ($BAEUM_NSMC_CANONICAL), and checks
// the hashes pinned in nsmcDerived.
func TestNSMCDerivedHashes(t *testing.T) {
	src := os.Getenv("BAEUM_NSMC_CANONICAL")
	if src == "" {
		t.Skip("set BAEUM_NSMC_CANONICAL to a folder with e9t/nsmc's ratings_train.txt and ratings_test.txt")
	}
	for _, s := range nsmcSources {
		if id, err := GitBlobID(filepath.Join(src, s.name)); err != nil || id != s.blob {
			t.Fatalf("%s: blob id %s, %v; want %s", s.name, id, err, s.blob)
		}
	}
	out := t.TempDir()
	if err := deriveNSMC(filepath.Join(src, "ratings_train.txt"), filepath.Join(src, "ratings_test.txt"), out, nsmcPerClass[0], nsmcPerClass[1]); err != nil {
		t.Fatal(err)
	}
	for rel, want := range nsmcDerived {
		if got, err := FileSHA256(filepath.Join(out, filepath.Base(rel))); err != nil || got != want {
			t.Errorf("%s: SHA-256 %s, %v; pinned %s", rel, got, err, want)
		}
	}
}
