package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
)

func main() {
	name := os.Args[1]
	steps, _ := strconv.Atoi(os.Args[2])
	bs, _ := strconv.Atoi(os.Args[3])
	lr, _ := strconv.ParseFloat(os.Args[4], 64)
	t0 := time.Now()
	tr, err := cnn.LoadData(name, "train", 0)
	if err != nil { panic(err) }
	te, _ := cnn.LoadData(name, "test", 0)
	fmt.Println("load", time.Since(t0))
	mlx.PrintBackend()
	cfg := cnn.Config{Steps: steps, BatchSize: bs, LearningRate: lr, Seed: 3, Points: 10}
	clf, h, err := cnn.Train(mlx.MustBackend(), tr, cfg)
	if err != nil { panic(err) }
	fmt.Println(h.StepsPerSec, h.Duration)
	t1 := time.Now()
	ev, err := clf.Evaluate(te)
	if err != nil { panic(err) }
	fmt.Printf("acc %.4f eval %v\n", ev.Accuracy, time.Since(t1))
}
