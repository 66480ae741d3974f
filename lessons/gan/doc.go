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
// Left out on purpose: convolutional (DCGAN) generators, Wasserstein
// losses, and any other fix for GAN instability; the lesson shows the
// instability and keeps the generator the judge liked best.
package gan
