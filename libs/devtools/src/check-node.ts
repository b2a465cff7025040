/** Fails fast when npm scripts do not run on the pinned Node 24 (the `node` devDependency). */
const major = Number(process.versions.node.split('.')[0]);
console.log(`node ${process.version}`);
if (major !== 24) {
  console.error(
    `Meshplane needs Node 24; this is ${process.version}. Run it through npm scripts (npm test, npm start).`,
  );
  process.exit(1);
}
