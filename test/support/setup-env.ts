// Tests build their configuration explicitly; keep stray environment from the shell out of them.
process.env.NODE_ENV = 'test';
