package mlx

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// GoNB runs every cell as a fresh program, so a number computed in a training
// cell is gone by the time the check cell runs. Lessons therefore record the
// numbers their run produced (Record), and the check cell reads them back
// (Result). Start, called at the top of every notebook, forgets the numbers
// of earlier runs, so a check can only pass on this run's numbers.

// resultsFile is where a lesson's recorded numbers live.
func resultsFile(lesson string) (string, error) {
	if lesson == "" || strings.ContainsAny(lesson, `/\`) || strings.HasPrefix(lesson, ".") {
		return "", fmt.Errorf("mlx: invalid lesson name %q", lesson)
	}
	dir := os.Getenv("BAEUM_RESULTS")
	if dir == "" {
		cache, err := cacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(cache, "results")
	}
	return filepath.Join(dir, lesson+".json"), nil
}

// Start begins a lesson run: it prints the backend line and forgets the
// numbers recorded by earlier runs of the lesson.
func Start(lesson string) {
	PrintBackend()
	p, err := resultsFile(lesson)
	if err == nil {
		err = os.Remove(p)
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Println("warning:", err)
	}
}

func loadResults(lesson string) (map[string]float64, string, error) {
	p, err := resultsFile(lesson)
	if err != nil {
		return nil, "", err
	}
	m := map[string]float64{}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return m, p, nil
	}
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		return nil, p, fmt.Errorf("mlx: results file %s is unreadable (%v); run the lesson from the top", p, err)
	}
	return m, p, nil
}

// Record stores a number the run produced, under the lesson's name.
func Record(lesson, key string, value float64) error {
	m, p, err := loadResults(lesson)
	if err != nil {
		return err
	}
	m[key] = value
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return WriteFileAtomic(p, b)
}

// Result reads back a number recorded by this run of the lesson. It panics
// (the check cell fails) when the number was not recorded, naming the cells
// to run first.
func Result(lesson, key string) float64 {
	m, _, err := loadResults(lesson)
	if err != nil {
		panic(err)
	}
	v, ok := m[key]
	if !ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		panic(fmt.Sprintf("lesson %s has no recorded %q (recorded: %v): run the cells above this one first", lesson, key, keys))
	}
	return v
}
