package main

import (
	"bufio"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/baeum-go/baeum/mlx"
)

//go:embed run_notebook.py
var runNotebookPy string

type result struct {
	name, backend, outcome string
	seconds                float64
	ok                     bool
}

// runTest runs setup, `go test ./...`, then the notebooks, prints a table and
// ends with "N passed, M failed".
func runTest(root string, args []string) error {
	fs := flag.NewFlagSet("test", flag.ExitOnError)
	lang := fs.String("lang", "all", "which notebooks: ko, en or all")
	enQuick := fs.Bool("en-quick", true, "run the English notebooks as the quick run (their code cells are the Korean ones, a test enforces it); --en-quick=false runs them in full")
	backend := fs.String("backend", "", "backend for the notebooks (go, xla:cpu, ...); default: automatic")
	only := fs.String("only", "", "comma-separated notebook numbers or names to run (e.g. 00,03)")
	quick := fs.Bool("quick", false, "set "+mlx.QuickEnv+"=1: the training lessons' smoke run")
	skipGo := fs.Bool("skip-go-test", false, "do not run go test ./...")
	solutions := fs.Bool("solutions", false, "fill every \"your turn\" cell with its solution from notebooks/solutions/ and require every exercise to come out right")
	timeout := fs.Int("timeout", 1200, "seconds allowed per cell")
	_ = fs.Parse(args)

	e, err := runSetup(root, []string{"--quiet"})
	if err != nil {
		return err
	}
	if *backend != "" {
		os.Setenv(mlx.BackendEnv, *backend)
	}
	var results []result
	if !*skipGo {
		results = append(results, goTest(root)...)
	}
	nbs, err := selectNotebooks(root, *lang, *only)
	if err != nil {
		return err
	}
	// After setup the notebooks must not need the network.
	os.Setenv("GOPROXY", "off")
	for _, nb := range nbs {
		quickRun := *quick || (*enQuick && filepath.Base(filepath.Dir(nb)) == "en")
		results = append(results, runNotebook(e, nb, *timeout, quickRun, *solutions))
	}
	return report(results)
}

// goTest runs `go test ./...` with its output streaming through, and makes a
// result of each package.
func goTest(root string) []result {
	fmt.Println("go test ./...")
	start := time.Now()
	cmd := exec.Command("go", "test", "./...")
	cmd.Dir = root
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	var results []result
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			fmt.Println("  " + line)
			f := strings.Fields(line)
			switch {
			case len(f) >= 2 && f[0] == "ok":
				results = append(results, result{name: f[1], outcome: "ok", ok: true})
			case len(f) >= 2 && f[0] == "FAIL" && strings.Contains(f[1], "/"):
				results = append(results, result{name: f[1], outcome: "FAIL"})
			}
		}
		close(done)
	}()
	err := cmd.Run()
	pw.Close()
	<-done
	if err != nil && len(results) == 0 {
		results = append(results, result{name: "go test ./...", outcome: "FAIL: " + err.Error()})
	}
	fmt.Printf("go test took %.0fs\n\n", time.Since(start).Seconds())
	return results
}

// selectNotebooks lists notebooks/<lang>/*.ipynb, filtered by --only.
func selectNotebooks(root, lang, only string) ([]string, error) {
	langs := []string{lang}
	if lang == "all" {
		langs = []string{"ko", "en"}
	} else if lang != "ko" && lang != "en" {
		return nil, fmt.Errorf("--lang must be ko, en or all, not %q", lang)
	}
	var out []string
	for _, l := range langs {
		matches, _ := filepath.Glob(filepath.Join(root, "notebooks", l, "*.ipynb"))
		sort.Strings(matches)
		for _, m := range matches {
			if only == "" || matchesOnly(filepath.Base(m), only) {
				out = append(out, m)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no notebook matches --lang %s --only %q", lang, only)
	}
	return out, nil
}

func matchesOnly(base, only string) bool {
	for _, o := range strings.Split(only, ",") {
		if o = strings.TrimSpace(o); o != "" && strings.HasPrefix(base, o) {
			return true
		}
	}
	return false
}

// runNotebook executes one notebook into .baeum/executed/<lang>/ and checks
// it. With solutions, it runs a copy whose "your turn" cells hold their
// solutions (in the notebook's own folder, as the learner would) and
// requires every exercise to come out right.
func runNotebook(e *env, src string, timeout int, quick, solutions bool) result {
	lang := filepath.Base(filepath.Dir(src))
	r := result{name: lang + "/" + filepath.Base(src)}
	if quick {
		r.name += " (quick)"
	}
	workDir := filepath.Dir(src)
	if solutions {
		r.name += " (solutions)"
		lang += "-solutions"
		filled := filepath.Join(e.root, ".baeum", "solutions", lang, filepath.Base(src))
		n, err := withSolutions(e.root, src, filled)
		if err != nil {
			r.outcome = "solutions: " + err.Error()
			fmt.Printf("  %s: %s\n", r.name, r.outcome)
			return r
		}
		if n < 2 {
			r.outcome = fmt.Sprintf("solutions: %d \"your turn\" cells, every notebook has at least 2", n)
			fmt.Printf("  %s: %s\n", r.name, r.outcome)
			return r
		}
		src = filled
	}
	out := filepath.Join(e.root, ".baeum", "executed", lang, filepath.Base(src))
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		r.outcome = err.Error()
		return r
	}
	script := filepath.Join(e.root, ".baeum", "run_notebook.py")
	if err := os.WriteFile(script, []byte(runNotebookPy), 0o644); err != nil {
		r.outcome = err.Error()
		return r
	}
	fmt.Printf("running %s ...\n", r.name)
	start := time.Now()
	cmd := exec.Command(e.python, script, src, out, kernelName, fmt.Sprint(timeout), workDir)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	if quick {
		cmd.Env = append(cmd.Env, mlx.QuickEnv+"=1")
	}
	runErr := cmd.Run()
	r.seconds = time.Since(start).Seconds()
	v, err := checkNotebook(out)
	switch {
	case err != nil:
		r.outcome = fmt.Sprintf("not executed (%v; executor: %v)", err, runErr)
	case runErr != nil:
		r.outcome = "executor failed: " + runErr.Error()
	case solutions && len(v.NotWritten) > 0:
		r.outcome = fmt.Sprintf("%d exercises still say not written with their solutions filled in: %s", len(v.NotWritten), strings.Join(v.NotWritten, "; "))
	case !v.OK():
		r.outcome = strings.Join(v.Problems, "; ")
	default:
		r.ok, r.outcome = true, fmt.Sprintf("ok (%d checks passed, exercises: %d right, %d not written)", len(v.Passed), len(v.Right), len(v.NotWritten))
	}
	r.backend = v.Backend
	fmt.Printf("  %s: %s in %.0fs (executed copy: %s)\n", r.name, r.outcome, r.seconds, out)
	return r
}

func report(results []result) error {
	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TEST\tBACKEND\tSECONDS\tRESULT")
	passed, failed := 0, 0
	for _, r := range results {
		secs := "-"
		if r.seconds > 0 {
			secs = fmt.Sprintf("%.0f", r.seconds)
		}
		backend := r.backend
		if backend == "" {
			backend = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.name, backend, secs, r.outcome)
		if r.ok {
			passed++
		} else {
			failed++
		}
	}
	tw.Flush()
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return fmt.Errorf("%d failed", failed)
	}
	return nil
}
