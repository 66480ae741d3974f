package mlx

import (
	"bytes"
	"io"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
)

// captureStdout runs f and returns what it printed.
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = old }()
	f()
	w.Close()
	var b bytes.Buffer
	io.Copy(&b, r)
	return b.String()
}

func lessonSoftmax(x []float64) []float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = max(m, v)
	}
	out, sum := make([]float64, len(x)), 0.0
	for i, v := range x {
		out[i] = math.Exp(v - m)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

var softmaxInputs = [][]float64{{1, 2, 3}, {1000, 1001}, {-4}}

func TestExerciseRight(t *testing.T) {
	t.Setenv(LangEnv, "en")
	// The same maths summed in another order: equal within the tolerance.
	reordered := func(x []float64) []float64 {
		out := lessonSoftmax(x)
		for i := range out {
			out[i] *= 1 + 1e-12
		}
		return out
	}
	var got ExerciseOutcome
	out := captureStdout(t, func() { got = Exercise("softmax", reordered, lessonSoftmax, softmaxInputs) })
	if got != Right || !strings.HasPrefix(out, AllPhrases["en"].ExerciseRight+"softmax") || !strings.Contains(out, "all 3 inputs") {
		t.Errorf("outcome %v, printed %q", got, out)
	}
}

func TestExerciseNotWritten(t *testing.T) {
	t.Setenv(LangEnv, "ko")
	placeholder := func(x []float64) []float64 { panic(TODO) }
	var got ExerciseOutcome
	out := captureStdout(t, func() { got = Exercise("softmax", placeholder, lessonSoftmax, softmaxInputs) })
	if got != NotWritten || !strings.HasPrefix(out, AllPhrases["ko"].ExerciseTodo+"softmax") {
		t.Errorf("outcome %v, printed %q", got, out)
	}
}

func TestExerciseWrongPanicsNamingTheInput(t *testing.T) {
	t.Setenv(LangEnv, "en")
	naive := func(x []float64) []float64 { // no max trick: exp(1000) overflows
		out, sum := make([]float64, len(x)), 0.0
		for i, v := range x {
			out[i] = math.Exp(v)
			sum += out[i]
		}
		for i := range out {
			out[i] /= sum
		}
		return out
	}
	crashing := func(x []float64) []float64 { return []float64{x[5]} }
	for name, f := range map[string]func([]float64) []float64{"overflow": naive, "panic": crashing} {
		var recovered any
		out := captureStdout(t, func() {
			defer func() { recovered = recover() }()
			Exercise("softmax", f, lessonSoftmax, softmaxInputs)
		})
		if recovered == nil {
			t.Errorf("%s: a wrong answer did not panic", name)
		}
		if !strings.HasPrefix(out, AllPhrases["en"].ExerciseWrong+"softmax") {
			t.Errorf("%s: printed %q", name, out)
		}
		want := map[string]string{"overflow": "input 2 of 3", "panic": "panicked"}[name]
		if !strings.Contains(out, want) {
			t.Errorf("%s: %q does not say %q", name, out, want)
		}
	}
}

func TestExercise2AndComparisons(t *testing.T) {
	t.Setenv(LangEnv, "en")
	jaccard := func(a, b []int) float64 {
		in := map[int]bool{}
		for _, x := range a {
			in[x] = true
		}
		both := 0
		for _, x := range b {
			if in[x] {
				both++
			}
		}
		return float64(both) / float64(len(a)+len(b)-both)
	}
	out := captureStdout(t, func() {
		Exercise2("jaccard", jaccard, jaccard, []Pair[[]int, []int]{{[]int{1, 2}, []int{2, 3}}})
	})
	if !strings.Contains(out, "RIGHT") {
		t.Errorf("printed %q", out)
	}
	for _, c := range []struct {
		a, b any
		same bool
	}{
		{[]int{1, 2}, []int{1, 2}, true},
		{[]int{1, 2}, []int{2, 1}, false},
		{[]int(nil), []int{}, true},
		{map[string]int{"a": 1}, map[string]int{"a": 1}, true},
		{map[string]int{"a": 1}, map[string]int{"a": 2}, false},
		{float32(1), float32(1.0000001), true},
		{1.0, 1.001, false},
		{math.NaN(), math.NaN(), true},
		{[2]string{"a", "b"}, [2]string{"a", "c"}, false},
		{int32(3), int64(3), false},
	} {
		if got := sameAnswerAny(c.a, c.b); got != c.same {
			t.Errorf("sameAnswer(%v, %v) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}

func sameAnswerAny(a, b any) bool { return sameAnswer(reflect.ValueOf(a), reflect.ValueOf(b)) }
