import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations from the committed supergraph: every `*.graphql` document beside the pages
// becomes a typed document string in src/api/generated.ts (committed). `npm run schema:check`
// fails when a document no longer validates against the supergraph or the file is stale.
const config: CodegenConfig = {
  schema: '../gateway/supergraph.graphql',
  documents: ['src/**/*.graphql'],
  generates: {
    'src/api/generated.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false },
        scalars: { DateTime: 'string', JSON: 'unknown' },
        strictScalars: false,
        defaultScalarType: 'unknown',
      },
    },
  },
};

export default config;
