// Package gan is lesson 09: the seed's generative adversarial network.
//
// The generator turns 100 random numbers into a 28x28 digit
// (Dense(128, relu) - Dense(784, tanh)); the discriminator, a small CNN
// (Conv2D(64, 5x5) - MaxPool - Conv2D(128, 5x5) - MaxPool - Dense(1)),
// tells real MNIST digits from the generator's. They train in turn with
// Adam(beta1 0.5) as in the seed, the generator at a higher learning rate
// (DefaultConfig says why):
//
//	g := gan.New(backend, 1)
//	hist, _ := g.Train(realDigits, gan.DefaultConfig(), judge) // judge: lesson 03's classifier
//	images, _ := g.Generate(gan.FixedNoise(256, gan.EvalSeed), 256)
//	verdict, _ := gan.Judge(judge, images, 256, 0.9)
//
// The seed's `discriminator.trainable = False` is done with two trainers
// over one store whose optimizers each see only their own network's scope
// (Scoped); FreezeCheck measures that a step of one never changes the
// other. Two layers are added to the seed's, with the reasons in model.go:
// LeakyReLU after the discriminator's convolutions and batch normalization
// after the generator's hidden layer (without it the generator collapses
// onto a single picture within a few hundred steps).
//
// Where a round's time goes (BenchmarkRound, XLA CPU, 2-core AMD EPYC,
// batch 16): the discriminator's step ~70%, the generator's ~28%, the
// judge (256 digits drawn and classified every JudgeEvery rounds) under
// 1%, the progress grids less. The discriminator's second convolution
// (5×5, 64 -> 128 channels on 14×14) is ~80 MFLOP per image; its step runs
// it forward and backward on 32 images, ~7.7 GFLOP, at ~50 GFLOP/s: the
// step is bound by that arithmetic, not by overheads, so a faster round
// needs a smaller discriminator, which would change the lesson's results.
//
// Left out on purpose: convolutional (DCGAN) generators, Wasserstein
// losses, and any other fix for GAN instability; the lesson shows the
// instability and keeps the generator the judge liked best.
package gan
