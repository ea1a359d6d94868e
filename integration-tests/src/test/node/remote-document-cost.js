// What each remote-join form costs a graphql-js remote: CPU per request of graphql() (parse, validate,
// execute) for the documents Joinery sends for 50 keys, against the schema of the peers benchmark's
// profiles remote (../shared/bench/peers/remote/profiles-server.js). In-process, so the machine's
// other load changes the numbers less than a wall-clock benchmark; compare the rows of one run.
// Run (graphql-js from the peers benchmark's install, or any `npm i graphql@16`):
//   NODE_PATH=/tmp/joinery-peers/profiles-remote/node_modules node integration-tests/src/test/node/remote-document-cost.js
const { graphql, buildSchema } = require('graphql');
const schema = buildSchema(`type Query { profile(authorId: Int!): Profile  profiles(authorIds: [Int!]!): [Profile] }
  type Profile { authorId: Int!  bio: String  followers: Int }`);
const profile = (id) => ({ authorId: id, bio: `Bio of author ${id}`, followers: (id * 37) % 1000 });
const root = { profile: ({ authorId }) => profile(authorId), profiles: ({ authorIds }) => authorIds.map(profile) };
const keys = Array.from({ length: Number(process.env.KEYS || 50) }, (_, i) => i + 1);
const documents = {
  'per key, selection repeated': 'query JoineryJoin{' + keys.map((id, i) => `f${i}:profile(authorId:${id}){authorId bio followers}`).join('') + '}',
  'per key, one fragment': 'query JoineryJoin{' + keys.map((id, i) => `f${i}:profile(authorId:${id}){...JoineryKey}`).join('')
      + '} fragment JoineryKey on Profile {authorId bio followers}',
  'list argument, keys as a variable': 'query JoineryBatchJoin($joinery_keys_0:[Int!]!){f:profiles(authorIds:$joinery_keys_0){authorId bio followers}}',
};
const variables = { joinery_keys_0: keys };
(async () => {
  const rounds = Number(process.env.ROUNDS || 3), n = Number(process.env.REQUESTS || 3000);
  const results = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, source] of Object.entries(documents)) {
      const start = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        const result = await graphql({ schema, source, rootValue: root, variableValues: variables });
        if (result.errors) throw new Error(name + ': ' + JSON.stringify(result.errors));
      }
      const used = process.cpuUsage(start);
      (results[name] ||= []).push((used.user + used.system) / n / 1000);
    }
  }
  for (const [name, ms] of Object.entries(results)) {
    console.log(`${name.padEnd(36)} ${ms.map((m) => m.toFixed(2)).join(' / ')} ms CPU per request (${keys.length} keys)`);
  }
})();
