package mlx

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
)

// TODO is what the function of a "your turn" cell panics with until the
// learner writes it:
//
//	func Softmax(x []float64) []float64 {
//		panic(mlx.TODO) // your code here
//	}
//
// Exercise reports such a function as "not written yet", not as wrong.
var TODO = todo{}

type todo struct{}

func (todo) Error() string { return "not written yet" }

// ExerciseOutcome is what Exercise found.
type ExerciseOutcome int

const (
	NotWritten ExerciseOutcome = iota // the function still panics with TODO
	Right                             // same answer as the lesson's code on every input
	Wrong                             // a different answer, or a panic, on some input
)

// Exercise checks the learner's function against the lesson package's own
// version on every input, and prints one line in the notebook's language:
// right, not written yet (a note: the placeholder is allowed), or wrong, with
// the first input where the answers differ. A wrong answer panics, so the
// cell ends in an error. Floats are compared with a relative tolerance of
// 1e-6 (so the order of a sum does not matter); everything else must be
// equal. name is the exercise's name, also the name of its solution file
// notebooks/solutions/<notebook>/<name>.go.
//
//	mlx.Exercise("softmax", Softmax, attention.Softmax, [][]float64{{1, 2, 3}, {1000, 1001}})
func Exercise[In, Out any](name string, yours, lessons func(In) Out, inputs []In) ExerciseOutcome {
	say := Say()
	for i, in := range inputs {
		got, err := call(yours, in)
		if _, isTodo := err.(todo); isTodo {
			fmt.Printf("%s%s (%s; %s: %s)\n", say.ExerciseTodo, name, say.TodoHelp, say.Solution, solutionPath(name))
			return NotWritten
		}
		want := lessons(in)
		if err == nil && sameAnswer(reflect.ValueOf(got), reflect.ValueOf(want)) {
			continue
		}
		detail := fmt.Sprintf("%s: %s = %s, %s = %s", fmt.Sprintf(say.WrongAt, i+1, len(inputs)), say.Got, brief(got), say.Want, brief(want))
		if err != nil {
			detail = fmt.Sprintf("%s: %s", fmt.Sprintf(say.WrongAt, i+1, len(inputs)), fmt.Sprintf(say.Panicked, err))
		}
		fmt.Printf("%s%s (%s; input %s)\n", say.ExerciseWrong, name, detail, brief(in))
		panic(fmt.Sprintf("exercise %s: not yet right (%s)", name, detail))
	}
	fmt.Printf("%s%s (%s)\n", say.ExerciseRight, name, fmt.Sprintf(say.RightOn, len(inputs)))
	return Right
}

// Pair holds the two arguments of an exercise function of two inputs.
type Pair[A, B any] struct {
	A A
	B B
}

// Exercise2 is Exercise for functions of two arguments.
//
//	mlx.Exercise2("jaccard", Jaccard, corpus.Jaccard, []mlx.Pair[[]uint64, []uint64]{{a, b}})
func Exercise2[A, B, Out any](name string, yours, lessons func(A, B) Out, inputs []Pair[A, B]) ExerciseOutcome {
	return Exercise(name,
		func(p Pair[A, B]) Out { return yours(p.A, p.B) },
		func(p Pair[A, B]) Out { return lessons(p.A, p.B) }, inputs)
}

// call runs f, turning a panic into an error (TODO comes back as itself).
func call[In, Out any](f func(In) Out, in In) (out Out, err error) {
	defer func() {
		if r := recover(); r != nil {
			if t, ok := r.(todo); ok {
				err = t
				return
			}
			err = fmt.Errorf("%v", r)
		}
	}()
	return f(in), nil
}

// sameAnswer compares deeply, floats within a relative tolerance of 1e-6.
func sameAnswer(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		if math.IsNaN(x) || math.IsNaN(y) {
			return math.IsNaN(x) && math.IsNaN(y)
		}
		return math.Abs(x-y) <= 1e-6*math.Max(1, math.Max(math.Abs(x), math.Abs(y)))
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameAnswer(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameAnswer(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if v := b.MapIndex(k); !v.IsValid() || !sameAnswer(a.MapIndex(k), v) {
				return false
			}
		}
		return true
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameAnswer(a.Elem(), b.Elem())
	}
	if a.CanInterface() && b.CanInterface() {
		return reflect.DeepEqual(a.Interface(), b.Interface())
	}
	return false
}

// brief prints a value, cut to about 100 characters.
func brief(v any) string {
	s := fmt.Sprintf("%v", v)
	if r := []rune(s); len(r) > 100 {
		s = string(r[:97]) + "..."
	}
	return s
}

// solutionPath names the solution file, relative to the notebook when run
// from one (notebooks/<lang>/), else the folder it lives in.
func solutionPath(name string) string {
	if d := os.Getenv("GONB_DIR"); d != "" {
		if m, _ := filepath.Glob(filepath.Join(d, "..", "solutions", "*", name+".go")); len(m) == 1 {
			if rel, err := filepath.Rel(d, m[0]); err == nil {
				return rel
			}
		}
	}
	return "notebooks/solutions/"
}
