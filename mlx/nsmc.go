package mlx

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// NSMC (github.com/e9t/nsmc) publishes 150,000 training and 50,000 test
// reviews. The course reads a smaller, balanced subset plus a corpus of the
// rest. The shared data folder holds one such subset, rebuilt from the
// repository's raw files; a learner without it gets the subset below, derived
// from the two canonical files after they verify by their git blob ids (the
// ids GitHub shows for them, so anyone can check them with `git ls-tree`).

// nsmcSource is one canonical NSMC file.
type nsmcSource struct {
	name string // file name in the repository
	blob string // git blob id (SHA-1 of "blob <size>\x00" + content)
}

var nsmcSources = []nsmcSource{
	{"ratings_train.txt", "ac0dba272895dc1d0b3dd5f11afbeaeb7abe7876"},
	{"ratings_test.txt", "b6cfcd8cd1557bcd9bf06617b0e429ed73e9a367"},
}

// nsmcRepo is where the canonical files live, as a raw.githubusercontent.com
// path (see githubRaw).
const nsmcRepo = "e9t/nsmc/master/"

// The derived subset's sizes: reviews per class in the train and test files,
// as in the shared folder's subset (tests make them smaller).
var nsmcPerClass = [2]int{20000, 5000}

// nsmcDerived holds the SHA-256 of the three files deriveNSMC writes from the
// canonical files: the derivation is deterministic, so they are facts too.
var nsmcDerived = map[string]string{
	"nsmc/ratings_train.txt": "dec856b29682d1f3f0088477c05d20b2056d937935e93e30b852dd8bfb425826", // 40,000 reviews
	"nsmc/ratings_test.txt":  "06ed6f64ed3561f6c274a8cf3dfed4a04374aaa95c47f5aad2e3ad38c6f90d39", // 10,000
	"nsmc/corpus_ko.txt":     "b8acc7db2fd6e4934253421b1ca9b3eb173de83a405f9799aee2fb74692930f1", // 146,390 lines
}

// GitBlobID returns the id git gives a file's content: the hex SHA-1 of
// "blob <size>\x00" followed by the content.
func GitBlobID(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", st.Size())
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// deriveNSMCFiles is the catalog's way to make any of the three files.
func deriveNSMCFiles(_, cache string) error { return fetchNSMC(cache) }

// fetchNSMC downloads the canonical files into cache/nsmc/canonical (each
// checked by its git blob id before it is renamed into place; kept for
// reuse) and derives the course's three files into cache/nsmc.
func fetchNSMC(cache string) error {
	dir := filepath.Join(cache, "nsmc", "canonical")
	paths := make([]string, len(nsmcSources))
	for i, s := range nsmcSources {
		paths[i] = filepath.Join(dir, s.name)
		check := func(p string) error {
			got, err := GitBlobID(p)
			if err == nil && got != s.blob {
				err = fmt.Errorf("%s has git blob id %s, want %s (not the published file)", s.name, got, s.blob)
			}
			return err
		}
		if check(paths[i]) == nil {
			continue
		}
		if err := downloadChecked(githubRaw(nsmcRepo+s.name), paths[i], check); err != nil {
			return err
		}
	}
	return deriveNSMC(paths[0], paths[1], filepath.Join(cache, "nsmc"), nsmcPerClass[0], nsmcPerClass[1])
}

// nsmcReview is one row of a canonical NSMC file.
type nsmcReview struct {
	line  string // the row as the course's files write it: id<TAB>text<TAB>label
	text  string
	label string
}

// readNSMC parses a canonical file: a header, then id<TAB>document<TAB>label.
// The canonical files were written by pandas, which put documents containing
// a double quote in quotes and doubled the quotes inside; the text is
// unquoted back to the review as written. Reviews with no text are skipped.
func readNSMC(path string) ([]nsmcReview, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	var out []nsmcReview
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(sc.Text(), "\t")
		if n == 1 {
			if strings.Join(f, " ") != "id document label" {
				return nil, fmt.Errorf("%s: header %q, want id<TAB>document<TAB>label", path, sc.Text())
			}
			continue
		}
		if len(f) != 3 || (f[2] != "0" && f[2] != "1") {
			return nil, fmt.Errorf("%s line %d: want id<TAB>document<TAB>0 or 1, got %q", path, n, sc.Text())
		}
		text := f[1]
		if len(text) >= 2 && text[0] == '"' && text[len(text)-1] == '"' {
			text = strings.ReplaceAll(text[1:len(text)-1], `""`, `"`)
		}
		if text == "" {
			continue
		}
		out = append(out, nsmcReview{line: f[0] + "\t" + text + "\t" + f[2], text: text, label: f[2]})
	}
	return out, sc.Err()
}

// balanced splits reviews, in file order, into the first perClass of each
// label (kept in file order) and the rest.
func balanced(reviews []nsmcReview, perClass int) (picked, rest []nsmcReview) {
	count := map[string]int{}
	for _, r := range reviews {
		if count[r.label] < perClass {
			count[r.label]++
			picked = append(picked, r)
		} else {
			rest = append(rest, r)
		}
	}
	return picked, rest
}

// deriveNSMC writes the course's NSMC files into dir from the canonical train
// and test files:
//   - ratings_train.txt: the first perTrain negative and the first perTrain
//     positive reviews of the canonical train file, in file order (the file is
//     already shuffled), with NSMC's header;
//   - ratings_test.txt: likewise perTest of each from the canonical test file;
//   - corpus_ko.txt: the text of every other review of both files, one per
//     line, leaving out any whose text is also in the two labelled files (so
//     that a language model trained on the corpus has not read a test review).
//
// Each file is written under a temporary name and renamed.
func deriveNSMC(trainPath, testPath, dir string, perTrain, perTest int) error {
	train, err := readNSMC(trainPath)
	if err != nil {
		return err
	}
	test, err := readNSMC(testPath)
	if err != nil {
		return err
	}
	trainSet, trainRest := balanced(train, perTrain)
	testSet, testRest := balanced(test, perTest)
	if len(trainSet) < 2*perTrain || len(testSet) < 2*perTest {
		return fmt.Errorf("NSMC: %s and %s hold too few reviews of each class for %d + %d",
			trainPath, testPath, perTrain, perTest)
	}
	labelled := map[string]bool{}
	var corpus []string
	for _, r := range append(trainSet, testSet...) {
		labelled[r.text] = true
	}
	for _, r := range append(trainRest, testRest...) {
		if !labelled[r.text] {
			corpus = append(corpus, r.text)
		}
	}
	rows := func(rs []nsmcReview) []string {
		out := []string{"id\tdocument\tlabel"}
		for _, r := range rs {
			out = append(out, r.line)
		}
		return out
	}
	for name, lines := range map[string][]string{
		"ratings_train.txt": rows(trainSet),
		"ratings_test.txt":  rows(testSet),
		"corpus_ko.txt":     corpus,
	} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := WriteFileAtomic(filepath.Join(dir, name), []byte(strings.Join(lines, "\n")+"\n")); err != nil {
			return err
		}
	}
	return nil
}
