package mlx

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// withFile swaps a catalog entry for the duration of a test.
func withFile(t *testing.T, f dataFile) {
	t.Helper()
	old, had := catalog[f.rel]
	catalog[f.rel] = f
	t.Cleanup(func() {
		if had {
			catalog[f.rel] = old
		} else {
			delete(catalog, f.rel)
		}
	})
}

func sum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// isolate points BAEUM_DATA and the user cache at fresh folders.
func isolate(t *testing.T) (data, cache string) {
	data, cache = t.TempDir(), t.TempDir()
	t.Setenv(DataEnv, data)
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("BAEUM_OFFLINE", "1")
	return data, filepath.Join(cache, "baeum")
}

func TestDataPathSearchOrder(t *testing.T) {
	data, cache := isolate(t)
	sys := filepath.Join(t.TempDir(), "sys.txt")
	content := []byte("hello")
	withFile(t, dataFile{rel: "test/a.txt", sha256: sum(content), system: []string{sys}})

	// Only the system place has it.
	write(t, sys, content)
	if p, err := DataPath("test/a.txt"); err != nil || p != sys {
		t.Fatalf("system place: got %q, %v; want %q", p, err, sys)
	}
	// The cache comes before system places.
	write(t, filepath.Join(cache, "test/a.txt"), content)
	if p, err := DataPath("test/a.txt"); err != nil || p != filepath.Join(cache, "test/a.txt") {
		t.Fatalf("cache: got %q, %v", p, err)
	}
	// BAEUM_DATA comes first.
	write(t, filepath.Join(data, "test/a.txt"), content)
	if p, err := DataPath("test/a.txt"); err != nil || p != filepath.Join(data, "test/a.txt") {
		t.Fatalf("BAEUM_DATA: got %q, %v", p, err)
	}
}

func TestDataPathErrors(t *testing.T) {
	data, _ := isolate(t)
	withFile(t, dataFile{rel: "test/b.txt", sha256: sum([]byte("right")), howTo: "ask the teacher"})

	_, err := DataPath("test/b.txt")
	if err == nil || !strings.Contains(err.Error(), "test/b.txt not found") ||
		!strings.Contains(err.Error(), "ask the teacher") || !strings.Contains(err.Error(), data) {
		t.Errorf("missing file: %v", err)
	}
	write(t, filepath.Join(data, "test/b.txt"), []byte("wrong"))
	_, err = DataPath("test/b.txt")
	if err == nil || !strings.Contains(err.Error(), "corrupt") || !strings.Contains(err.Error(), sum([]byte("wrong"))) {
		t.Errorf("checksum mismatch: %v", err)
	}
	if _, err := DataPath("no/such.txt"); err == nil || !strings.Contains(err.Error(), "unknown data file") {
		t.Errorf("unknown name: %v", err)
	}
}

func TestDownload(t *testing.T) {
	_, cache := isolate(t)
	t.Setenv("BAEUM_OFFLINE", "")
	good := []byte("the canonical file")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good":
			w.Write(good)
		case "/bad":
			w.Write([]byte("a tampered file"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	withFile(t, dataFile{rel: "test/good.txt", sha256: sum(good), url: srv.URL + "/good"})
	p, err := DataPath("test/good.txt")
	if err != nil || p != filepath.Join(cache, "test/good.txt") {
		t.Fatalf("download: %q, %v", p, err)
	}
	if b, _ := os.ReadFile(p); string(b) != string(good) {
		t.Errorf("downloaded %q", b)
	}

	for _, path := range []string{"/bad", "/missing"} {
		withFile(t, dataFile{rel: "test/bad.txt", sha256: sum(good), url: srv.URL + path})
		if _, err := DataPath("test/bad.txt"); err == nil || !strings.Contains(err.Error(), "fetching it failed") {
			t.Errorf("%s: want a download error, got %v", path, err)
		}
		entries, _ := os.ReadDir(filepath.Join(cache, "test"))
		for _, e := range entries {
			if e.Name() != "good.txt" {
				t.Errorf("%s: left %s in the cache", path, e.Name())
			}
		}
	}
}

func gz(b []byte) []byte {
	var buf strings.Builder
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return []byte(buf.String())
}

func TestReadIDX(t *testing.T) {
	dir := t.TempDir()
	// Two 2x3 images.
	raw := append([]byte{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
	p := filepath.Join(dir, "ok-idx3-ubyte.gz")
	write(t, p, gz(raw))
	idx, err := ReadIDX(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.Dims) != 3 || idx.Dims[0] != 2 || idx.Dims[1] != 2 || idx.Dims[2] != 3 || idx.Data[11] != 12 {
		t.Errorf("got dims %v data %v", idx.Dims, idx.Data)
	}
	cases := map[string][]byte{
		"IDX file truncated":   gz(raw[:len(raw)-1]),
		"truncated IDX header": gz(raw[:6]),
		"not an IDX file":      gz([]byte{1, 2, 3, 4, 5}),
		"not supported":        gz([]byte{0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}),
		"not a valid gzip":     raw,
	}
	for want, b := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(want, " ", "-")+".gz")
		write(t, p, b)
		_, err := ReadIDX(p)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: got %v", want, err)
		}
	}
}

func TestLoadImagesFromSharedData(t *testing.T) {
	if err := MissingData("mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz"); err != nil {
		t.Skip(err)
	}
	im, err := LoadImages("mnist", "test")
	if err != nil {
		t.Fatal(err)
	}
	if im.N != 10000 || im.H != 28 || im.W != 28 || len(im.Labels) != 10000 {
		t.Fatalf("got %d images of %dx%d", im.N, im.H, im.W)
	}
	// The first MNIST test image is a 7.
	if im.Labels[0] != 7 {
		t.Errorf("first test label %d, want 7", im.Labels[0])
	}
	if _, err := LoadImages("cifar", "train"); err == nil {
		t.Error("unknown data set accepted")
	}
}
