package mlx

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ulikunitz/xz"
)

// fakeEntry is one entry of a fake package's data.tar.
type fakeEntry struct {
	name, body string
	typ        byte   // tar.TypeReg when zero
	link       string // for links
}

// fakeTar builds a tar the way dpkg-deb does: names start with "./".
func fakeTar(t *testing.T, entries []fakeEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: e.typ, Linkname: e.link}
		if e.typ == 0 {
			h.Typeflag = tar.TypeReg
		} else {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			tw.Write([]byte(e.body))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// compress compresses b for a data.tar suffix; unknown suffixes keep b as is,
// which is enough for a reader that must refuse them before reading.
func compress(t *testing.T, ext string, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	switch ext {
	case ".xz":
		w, err := xz.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	case ".gz":
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
	default:
		return b
	}
	return buf.Bytes()
}

// arArchive writes members in the ar format of deb(5): 60-byte headers, data
// padded to an even length.
func arArchive(members ...[2]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("!<arch>\n")
	for _, m := range members {
		fmt.Fprintf(&buf, "%-16s%-12d%-6d%-6d%-8s%-10d`\n", m[0], 1700000000, 0, 0, "100644", len(m[1]))
		buf.WriteString(m[1])
		if len(m[1])%2 == 1 {
			buf.WriteByte('\n')
		}
	}
	return buf.Bytes()
}

// fakeDeb builds a .deb whose data.tar (with suffix ext) holds entries. The
// control member has an odd length so that the padding is exercised.
func fakeDeb(t *testing.T, ext string, entries []fakeEntry) []byte {
	t.Helper()
	return arArchive([2]string{"debian-binary", "2.0\n"}, [2]string{"control.tar.xz", "fake\n"},
		[2]string{"data.tar" + ext, string(compress(t, ext, fakeTar(t, entries)))})
}

// fakePackage pins deb under a pool path named after the package.
func fakePackage(name string, deb []byte) debPackage {
	return debPackage{name: name, version: "1.0", pool: "pool/main/t/" + name + "/" + name + "_1.0_all.deb",
		sha256: sum(deb)}
}

// serveDebs serves files (pool path -> content) as a Debian mirror and
// counts the requests.
func serveDebs(t *testing.T, files map[string][]byte) *atomic.Int32 {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if b, ok := files[strings.TrimPrefix(r.URL.Path, "/debian/")]; ok {
			w.Write(b)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv(DebianMirrorEnv, srv.URL+"/debian/") // the trailing slash must not matter
	return &n
}

// filesUnder lists the regular files under root, relative and sorted.
func filesUnder(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	sort.Strings(out)
	return out
}

func wantErr(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error", what)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error does not mention %q: %v", what, p, err)
		}
	}
}

var fakePages = []fakeEntry{
	{name: "./usr/", typ: tar.TypeDir},
	{name: "./usr/share/doc/test/index.en.html", body: "<p>hello</p>\n"},
	{name: "./usr/share/doc/test/ko/index.ko.html", body: "<p>안녕하세요</p>\n"},
	{name: "./usr/share/doc/test/index.html", typ: tar.TypeSymlink, link: "index.en.html"},
}

func TestUnpackDebCompressions(t *testing.T) {
	for _, c := range []struct{ ext, err string }{
		{".xz", ""}, {".gz", ""}, {"", ""},
		{".zst", "Zstandard"}, {".bz2", "bzip2"}, {".lz4", "unknown lz4"},
	} {
		dir := t.TempDir()
		deb := filepath.Join(dir, "test_1.0_all.deb")
		write(t, deb, fakeDeb(t, c.ext, fakePages))
		en, ko := filepath.Join(dir, "out/en/index.en.html"), filepath.Join(dir, "out/ko/index.ko.html")
		err := unpackDeb(deb, map[string]string{
			"./usr/share/doc/test/index.en.html":    en,
			"./usr/share/doc/test/ko/index.ko.html": ko,
		})
		if c.err != "" {
			wantErr(t, "data.tar"+c.ext, err, "data.tar"+c.ext, c.err, deb, "dpkg-deb -x")
			if got := filesUnder(t, dir); len(got) != 1 {
				t.Errorf("data.tar%s: wrote %v", c.ext, got)
			}
			continue
		}
		if err != nil {
			t.Fatalf("data.tar%s: %v", c.ext, err)
		}
		for p, want := range map[string]string{en: fakePages[1].body, ko: fakePages[2].body} {
			if b, err := os.ReadFile(p); err != nil || string(b) != want {
				t.Errorf("data.tar%s: %s holds %q, %v; want %q", c.ext, p, b, err, want)
			}
		}
		if got := filesUnder(t, dir); len(got) != 3 { // no temporary files left
			t.Errorf("data.tar%s: files %v", c.ext, got)
		}
	}
}

func TestFetchDeb(t *testing.T) {
	deb := fakeDeb(t, ".xz", fakePages)
	pkg := fakePackage("test", deb)
	requests := serveDebs(t, map[string][]byte{pkg.pool: deb})

	dir := t.TempDir()
	p, err := fetchDeb(pkg, dir)
	if err != nil || p != filepath.Join(dir, "test_1.0_all.deb") {
		t.Fatalf("fetchDeb: %q, %v", p, err)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, deb) {
		t.Errorf("fetched %d bytes, want the %d served", len(b), len(deb))
	}
	if _, err := fetchDeb(pkg, dir); err != nil || requests.Load() != 1 {
		t.Errorf("second fetchDeb: %v after %d requests; want the file reused", err, requests.Load())
	}

	// A file in the cache with another SHA-256 is reported, not replaced.
	write(t, p, []byte("not a deb"))
	verified.Delete(p)
	_, err = fetchDeb(pkg, dir)
	wantErr(t, "corrupt cache", err, p, "delete it")
	if b, _ := os.ReadFile(p); string(b) != "not a deb" {
		t.Errorf("corrupt cache file was replaced")
	}
}

func TestFetchDebWrongSHA256(t *testing.T) {
	deb := fakeDeb(t, ".xz", fakePages)
	pkg := fakePackage("test", deb)
	serveDebs(t, map[string][]byte{pkg.pool: deb})
	for _, c := range []struct {
		what string
		pkg  debPackage
	}{
		{"wrong SHA-256", debPackage{name: pkg.name, version: pkg.version, pool: pkg.pool, sha256: sum([]byte("x"))}},
		{"absent from the mirror", debPackage{name: "gone", version: "1.0", pool: "pool/main/g/gone/gone_1.0_all.deb", sha256: pkg.sha256}},
	} {
		dir := filepath.Join(t.TempDir(), "debian")
		_, err := fetchDeb(c.pkg, dir)
		wantErr(t, c.what, err, "Debian package "+c.pkg.name, c.pkg.pool, DebianMirrorEnv, "apt-get install "+c.pkg.name)
		if got := filesUnder(t, dir); len(got) != 0 {
			t.Errorf("%s: left %v", c.what, got)
		}
	}
}

func TestUnpackDebTruncated(t *testing.T) {
	data := compress(t, ".xz", fakeTar(t, fakePages))
	head := arArchive([2]string{"debian-binary", "2.0\n"}, [2]string{"control.tar.xz", "fake\n"})
	full := append(bytes.Clone(head), arArchive([2]string{"data.tar.xz", string(data)})[8:]...)
	dataEnd := len(head) + 60 + len(data)
	for _, cut := range []int{0, 5, 8 + 30, len(head) + 59, len(head) + 60 + len(data)/2, dataEnd - 1} {
		dir := t.TempDir()
		deb := filepath.Join(dir, "test_1.0_all.deb")
		write(t, deb, full[:cut])
		err := unpackDeb(deb, map[string]string{"./usr/share/doc/test/index.en.html": filepath.Join(dir, "out.html")})
		wantErr(t, fmt.Sprintf("cut at %d of %d", cut, len(full)), err, deb, "delete it")
		if got := filesUnder(t, dir); len(got) != 1 {
			t.Errorf("cut at %d: wrote %v", cut, got)
		}
	}
	// The uncut file unpacks, so the errors above came from the cuts.
	deb := filepath.Join(t.TempDir(), "test_1.0_all.deb")
	write(t, deb, full)
	if err := unpackDeb(deb, map[string]string{"./usr/share/doc/test/index.en.html": deb + ".html"}); err != nil {
		t.Fatal(err)
	}
}

func TestUnpackDebMissingMember(t *testing.T) {
	dir := t.TempDir()
	deb := filepath.Join(dir, "test_1.0_all.deb")
	write(t, deb, fakeDeb(t, ".xz", fakePages))
	err := unpackDeb(deb, map[string]string{
		"./usr/share/doc/test/index.en.html": filepath.Join(dir, "out/index.en.html"),
		"./usr/share/doc/test/absent.html":   filepath.Join(dir, "out/absent.html"),
	})
	wantErr(t, "missing member", err, "./usr/share/doc/test/absent.html", "test_1.0_all.deb", "nothing was written")
	if got := filesUnder(t, dir); len(got) != 1 {
		t.Errorf("wrote %v; want nothing when a member is missing", got)
	}
	// A link is not copied as if it were the file.
	err = unpackDeb(deb, map[string]string{"./usr/share/doc/test/index.html": filepath.Join(dir, "out/index.html")})
	wantErr(t, "symlink member", err, "./usr/share/doc/test/index.html", "not a regular file")
}

func TestUnpackDebPathTraversal(t *testing.T) {
	root := t.TempDir()
	deb := filepath.Join(root, "test_1.0_all.deb")
	write(t, deb, fakeDeb(t, ".gz", []fakeEntry{
		{name: "../evil", body: "x"},
		{name: "./../../evil2", body: "x"},
		{name: "./usr/share/doc/test/../../../../../evil3", body: "x"},
		{name: "./usr/share/doc/test/link", typ: tar.TypeSymlink, link: "../../../../../evil4"},
		{name: "./usr/share/doc/test/hard", typ: tar.TypeLink, link: "../../../../../evil5"},
		{name: "./usr/share/doc/test/page.html", body: "page"},
	}))
	work := filepath.Join(root, "a", "b", "c")
	os.MkdirAll(work, 0o755)
	t.Chdir(work) // a reader that wrote archive paths would write under root
	dst := filepath.Join(root, "out", "page.html")
	if err := unpackDeb(deb, map[string]string{"./usr/share/doc/test/page.html": dst}); err != nil {
		t.Fatal(err)
	}
	if got, want := filesUnder(t, root), []string{"out/page.html", "test_1.0_all.deb"}; !slices.Equal(got, want) {
		t.Errorf("files under the test folder: %v, want %v", got, want)
	}
}

func TestDebSources(t *testing.T) {
	n := 0
	for _, rel := range DataFiles() {
		dir, base := path.Split(rel)
		var wantPkg debPackage
		var wantMember string
		switch dir {
		case "debian-faq/en/":
			wantPkg, wantMember = debDebianFAQ, "./usr/share/doc/debian/FAQ/"+base
		case "debian-faq/ko/":
			wantPkg, wantMember = debDebianFAQKo, "./usr/share/doc/debian/FAQ/ko/"+base
		case "fashion-mnist/":
			wantPkg, wantMember = debFashionMNIST, "./usr/share/datasets/fashion-mnist/"+base
		default:
			if _, _, ok := debSource(rel); ok {
				t.Errorf("%s: has a Debian source, want none", rel)
			}
			continue
		}
		n++
		if pkg, member, ok := debSource(rel); !ok || pkg != wantPkg || member != wantMember {
			t.Errorf("%s: debSource = %s, %q, %v; want %s, %q", rel, pkg.name, member, ok, wantPkg.name, wantMember)
		}
	}
	if n != 17+17+4 || len(debSources) != n {
		t.Errorf("%d catalog files come from Debian and debSources has %d; want 38 of each", n, len(debSources))
	}
}

func TestFetchFromDebianFake(t *testing.T) {
	debA := fakeDeb(t, ".xz", []fakeEntry{{name: "./a/one", body: "1"}, {name: "./a/two", body: "2"}, {name: "./a/other", body: "?"}})
	debB := fakeDeb(t, ".gz", []fakeEntry{{name: "./b/three", body: "3"}})
	a, b := fakePackage("test-a", debA), fakePackage("test-b", debB)
	requests := serveDebs(t, map[string][]byte{a.pool: debA, b.pool: debB})
	old := debSources
	debSources = map[string]debMember{
		"set-a/one.txt": {a, "./a/one"}, "set-a/sub/two.txt": {a, "./a/two"}, "set-b/three.txt": {b, "./b/three"},
	}
	t.Cleanup(func() { debSources = old })

	cache := t.TempDir()
	if err := fetchFromDebian("set-a/one.txt", cache); err != nil {
		t.Fatal(err)
	}
	want := []string{"debian/test-a_1.0_all.deb", "set-a/one.txt", "set-a/sub/two.txt"}
	if got := filesUnder(t, cache); !slices.Equal(got, want) || requests.Load() != 1 {
		t.Errorf("after one call: %v after %d requests; want %v after 1", got, requests.Load(), want)
	}
	if b, _ := os.ReadFile(filepath.Join(cache, "set-a/sub/two.txt")); string(b) != "2" {
		t.Errorf("set-a/sub/two.txt holds %q", b)
	}
	wantErr(t, "unknown file", fetchFromDebian("mnist/train-images-idx3-ubyte.gz", cache), "mnist/train-images-idx3-ubyte.gz")
}

// TestFetchFromDebianReal downloads the three real packages (about 32 MB)
// and checks every unpacked file against the catalog.
func TestFetchFromDebianReal(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads 32 MB from Debian's archive; skipped under -short")
	}
	probe := &http.Client{Timeout: 5 * time.Second}
	resp, err := probe.Head(debianMirror() + "/" + debDebianFAQ.pool)
	if err != nil {
		t.Skipf("Debian's archive is unreachable: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Skipf("Debian's archive answered %s", resp.Status)
	}
	start := time.Now()
	cache := t.TempDir()
	for _, rel := range []string{"debian-faq/en/index.en.html", "debian-faq/ko/index.ko.html", "fashion-mnist/train-images-idx3-ubyte.gz"} {
		if err := fetchFromDebian(rel, cache); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("fetched and unpacked three packages in %v", time.Since(start).Round(time.Millisecond))
	for rel := range debSources {
		got, err := FileSHA256(filepath.Join(cache, filepath.FromSlash(rel)))
		if err != nil || got != catalog[rel].sha256 {
			t.Errorf("%s: SHA-256 %s, %v; want %s", rel, got, err, catalog[rel].sha256)
		}
	}
	if got := len(filesUnder(t, cache)); got != 38+3 {
		t.Errorf("%d files in the cache, want 38 data files and 3 packages", got)
	}
}
