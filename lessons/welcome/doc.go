// Package welcome is lesson 00: the first contact with GoMLX from a notebook.
//
// The learner makes a noisy straight line, y = slope*x + intercept + noise,
// and fits it by gradient descent: a one-unit dense layer (w*x + b), the
// mean squared error, and GoMLX's SGD optimizer driven by GoMLX's training
// loop. XLA (or the pure-Go backend) compiles the training step once and runs
// it hundreds of times. The fitted w and b land within 1% of the truth.
//
//	line := welcome.NoisyLine(welcome.DefaultLine)
//	fit, err := welcome.FitLine(backend, line, welcome.Config{Steps: 300, LearningRate: 0.5})
//	fmt.Println(fit.Slope, fit.Intercept)
//
// Left out on purpose: mini-batches, validation data and every other
// optimizer; later lessons bring them in.
package welcome
