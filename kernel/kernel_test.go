package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestKernelspecContent(t *testing.T) {
	spec := newKernelspec("/repo/bin", "/usr/local/go/bin", "/usr/local/go/bin:/usr/bin::/bin:/usr/bin")
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	argv := got["argv"].([]any)
	if argv[0] != "/repo/bin/gonb" || argv[1] != "--kernel" || argv[2] != "{connection_file}" {
		t.Errorf("argv = %v", argv)
	}
	if !slices.Contains(argv, any("--log_file=/repo/.baeum/gonb.log")) || !slices.Contains(argv, any("--stderrthreshold=FATAL")) {
		t.Errorf("GoNB's log does not go to .baeum/gonb.log only: argv = %v", argv)
	}
	if got["display_name"] != "Go (Baeum)" || got["language"] != "go" {
		t.Errorf("display_name %v, language %v", got["display_name"], got["language"])
	}
	if p := got["env"].(map[string]any)["PATH"]; p != "/repo/bin:/usr/local/go/bin:/usr/bin:/bin" {
		t.Errorf("PATH = %v", p)
	}
}

func TestWriteKernelspec(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
	dir, err := writeKernelspec(&env{bin: "/repo/bin"})
	if err != nil {
		t.Fatal(err)
	}
	var spec kernelspec
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err == nil {
		err = json.Unmarshal(b, &spec)
	}
	if err != nil || spec.DisplayName != kernelDisplayName || filepath.Base(dir) != "baeum" {
		t.Errorf("%s: %+v, %v", dir, spec, err)
	}
}

func TestCheckNotebook(t *testing.T) {
	tests := []struct {
		file    string
		ok      bool
		problem string
	}{
		{"passed", true, ""},
		{"error", false, "cell 2: error ERROR: panic: 1"},
		{"failed-check", false, "check failed: accuracy (0.12)"},
		{"no-check", false, "no check cell passed"},
		{"html-check", false, "check failed: in html (0)"},
		{"exercises-ko", true, ""},
		{"exercise-wrong", false, "exercise wrong: softmax (input 2 of 3"},
		{"code-not-shown", false, "cell 3: show.Code displayed no code"},
	}
	for _, tt := range tests {
		v, err := checkNotebook(filepath.Join("testdata", tt.file+".ipynb"))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if v.OK() != tt.ok || (tt.problem != "" && !strings.Contains(strings.Join(v.Problems, "\n"), tt.problem)) {
			t.Errorf("%s: ok=%v problems=%q", tt.file, v.OK(), v.Problems)
		}
		if v.Backend != "xla:cpu" {
			t.Errorf("%s: backend %q", tt.file, v.Backend)
		}
	}
	if _, err := checkNotebook(filepath.Join("testdata", "missing.ipynb")); err == nil {
		t.Error("missing notebook accepted")
	}
}

// TestNotebookPairs: every Korean notebook has an English twin with the same
// code cells, and both are committed without outputs.
func TestNotebookPairs(t *testing.T) {
	ko, _ := filepath.Glob("../notebooks/ko/*.ipynb")
	en, _ := filepath.Glob("../notebooks/en/*.ipynb")
	if len(ko) == 0 || len(ko) != len(en) {
		t.Fatalf("%d Korean and %d English notebooks", len(ko), len(en))
	}
	for _, k := range ko {
		e := filepath.Join("../notebooks/en", filepath.Base(k))
		kc, err := codeCells(k)
		if err != nil {
			t.Fatal(err)
		}
		ec, err := codeCells(e)
		if err != nil {
			t.Fatalf("%s has no English twin: %v", k, err)
		}
		if !reflect.DeepEqual(kc, ec) {
			t.Errorf("%s and %s differ in their code cells", k, e)
		}
		for _, p := range []string{k, e} {
			b, _ := os.ReadFile(p)
			var nb notebook
			if err := json.Unmarshal(b, &nb); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			for i, c := range nb.Cells {
				if len(c.Outputs) > 0 {
					t.Errorf("%s cell %d is committed with outputs", p, i+1)
				}
			}
			if !strings.Contains(string(b), `"name": "baeum"`) {
				t.Errorf("%s does not name the baeum kernel", p)
			}
		}
		if len(kc) == 0 || !strings.Contains(kc[0], "-replace=github.com/baeum-go/baeum=${GONB_DIR}/../..") {
			t.Errorf("%s does not start with the setup cell", k)
		}
	}
}

func TestExtractMember(t *testing.T) {
	dir := t.TempDir()
	zp := filepath.Join(dir, "w.whl")
	f, _ := os.Create(zp)
	zw := zip.NewWriter(f)
	for name, body := range map[string]string{"pkg/plugin.so": "ELF...", "../evil.so": "x"} {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	f.Close()

	dst := filepath.Join(dir, "out", "pjrt_c_api_cpu_plugin.so")
	if err := extractMember(zp, "pkg/plugin.so", dst, 0o755); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "ELF..." {
		t.Errorf("extracted %q", b)
	}
	if err := extractMember(zp, "../evil.so", dst, 0o755); err == nil || !strings.Contains(err.Error(), "suspicious") {
		t.Errorf("traversal: %v", err)
	}
	if err := extractMember(zp, "pkg/other.so", dst, 0o755); err == nil || !strings.Contains(err.Error(), "no member") {
		t.Errorf("missing member: %v", err)
	}
	if err := extractMember(filepath.Join(dir, "nope.whl"), "pkg/plugin.so", dst, 0o755); err == nil {
		t.Error("missing wheel accepted")
	}
	entries, _ := os.ReadDir(filepath.Dir(dst))
	if len(entries) != 1 {
		t.Errorf("left temporary files: %v", entries)
	}
}

func TestSelectNotebooks(t *testing.T) {
	if !matchesOnly("03-cnn.ipynb", "00, 03") || matchesOnly("04-rnn.ipynb", "00,03") {
		t.Error("matchesOnly")
	}
	if _, err := selectNotebooks("..", "fr", ""); err == nil {
		t.Error("unknown language accepted")
	}
	nbs, err := selectNotebooks("..", "all", "00")
	if err != nil || len(nbs) != 2 {
		t.Errorf("all/00: %v, %v", nbs, err)
	}
}

func TestCheckNotebookCountsExercises(t *testing.T) {
	v, err := checkNotebook(filepath.Join("testdata", "exercises-ko.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Passed) != 1 || len(v.Right) != 1 || len(v.NotWritten) != 1 || !strings.HasPrefix(v.NotWritten[0], "softmax") {
		t.Errorf("passed %q, right %q, not written %q", v.Passed, v.Right, v.NotWritten)
	}
}

func TestFillSolutions(t *testing.T) {
	s, err := loadSolutions(filepath.Join("testdata", "solutions", "nb"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.fill("// Your turn.\nfunc Shout(s string) string {\n\tpanic(mlx.TODO)\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "import \"strings\"\n\n// Shout is the solution.\nfunc Shout(s string) string { return strings.ToUpper(s) + \"!\" }"
	if got != want {
		t.Errorf("filled cell:\n%s\nwant\n%s", got, want)
	}
	if _, err := s.fill("func Whisper() { panic(mlx.TODO) }"); err == nil || !strings.Contains(err.Error(), "no solution for Whisper") {
		t.Errorf("missing solution: %v", err)
	}
	if _, err := s.fill("%%\npanic(mlx.TODO)"); err == nil {
		t.Error("a cell that is not declarations was filled")
	}
}

// TestNotebooksShowCodeAndHaveExercises: every lesson notebook renders the
// code it teaches (show.Code) and has at least two "your turn" cells, each
// with a solution in notebooks/solutions/<notebook>/.
func TestNotebooksShowCodeAndHaveExercises(t *testing.T) {
	ko, _ := filepath.Glob("../notebooks/ko/*.ipynb")
	for _, p := range ko {
		cells, err := codeCells(p)
		if err != nil {
			t.Fatal(err)
		}
		sols, err := loadSolutions(solutionsDir("..", p))
		if err != nil {
			t.Fatal(err)
		}
		exercises, shows := 0, 0
		for i, c := range cells {
			if strings.Contains(c, "show.Code(") {
				shows++
			}
			if !isExerciseCell(c) {
				continue
			}
			exercises++
			if _, err := sols.fill(c); err != nil {
				t.Errorf("%s code cell %d: %v", filepath.Base(p), i+1, err)
			}
		}
		if exercises < 2 || shows == 0 {
			t.Errorf("%s: %d \"your turn\" cells and %d show.Code cells; every notebook has at least 2 and 1", filepath.Base(p), exercises, shows)
		}
	}
}

// TestSolutionNamesAreUnique: an exercise's name is its solution's file name,
// and the "not written yet" line finds the file by that name alone.
func TestSolutionNamesAreUnique(t *testing.T) {
	files, _ := filepath.Glob("../notebooks/solutions/*/*.go")
	seen := map[string]string{}
	for _, f := range files {
		if prev, ok := seen[filepath.Base(f)]; ok {
			t.Errorf("two solutions named %s: %s and %s", filepath.Base(f), prev, f)
		}
		seen[filepath.Base(f)] = f
	}
	if len(files) == 0 {
		t.Error("no solutions found")
	}
}
