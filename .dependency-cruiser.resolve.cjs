// How "@/" resolves, for dependency-cruiser: the project root, as WXT's generated tsconfig says. Its
// tsconfig reader cannot use those paths (they are relative to .wxt/, with no baseUrl), so the alias
// is given here in the webpack shape dependency-cruiser reads.
module.exports = { resolve: { alias: { "@": __dirname } } };
