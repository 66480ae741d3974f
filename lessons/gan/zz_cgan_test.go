package gan

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
)

func TestZZCGAN(t *testing.T) {
	backend := mlx.MustBackend()
	judge, err := cnn.LoadOrTrain(backend, "mnist")
	if err != nil {
		t.Fatal(err)
	}
	data, err := cnn.LoadData("mnist", "train", 0)
	if err != nil {
		t.Fatal(err)
	}
	steps, _ := strconv.Atoi(os.Getenv("STEPS"))
	batch, _ := strconv.Atoi(os.Getenv("BATCH"))
	glr, _ := strconv.ParseFloat(os.Getenv("GLR"), 64)
	dlr, _ := strconv.ParseFloat(os.Getenv("DLR"), 64)
	cfg := Config{Steps: steps, BatchSize: batch, DLearningRate: dlr, GLearningRate: glr, Beta1: 0.5, SampleEvery: 500, JudgeEvery: 100, Seed: 1}
	g := NewConditional(backend, 1)
	h, err := g.Train(data, cfg, judge)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%.1f rounds/s, best step %d, curve %v\n", h.StepsPerSec, h.BestStep, h.JudgeConfident)
	digits := RequestedDigits(1000)
	images, err := g.Draw(FixedNoise(1000, EvalSeed), digits)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Judge(judge, images, 1000, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := Agree(v, digits)
	fmt.Printf("agreement %.3f per digit %.2f\n", a.Overall, a.PerDigit)
	v0, _ := Judge(judge, images, 1000, 0)
	a0, _ := Agree(v0, digits)
	fmt.Printf("argmax agreement %.3f per digit %.2f; confident %.3f\n", a0.Overall, a0.PerDigit, v.ConfidentFraction())
}
