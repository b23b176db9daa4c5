"""σ: activation functions, their exact properties (Section 3.1), custom σ from text, and their kinks."""
