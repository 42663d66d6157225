/* global db, print -- mongosh globals */
// Read-only analyst user for the jxc database (docs/read-side.md "Analysts on MongoDB").
// The mongo image runs this once, with mongosh as the root user, when it initialises an empty data volume
// (/docker-entrypoint-initdb.d). The user lives in `admin` like the root user (connect with
// authSource=admin) and has the built-in role `read` on `jxc` only: find, aggregate, listCollections,
// listIndexes on the views under their stable names; no writes, no other database.
//
// MONGO_ANALYST_PASSWORD unset or empty: no analyst user (say so and carry on: jxc does not need it).
// On a volume initialised before this script existed, run the same command once by hand:
//   docker compose exec mongodb mongosh -u "$MONGO_USER" -p "$MONGO_PASSWORD" --authenticationDatabase admin \
//     --eval 'db.getSiblingDB("admin").createUser({user: "analyst", pwd: passwordPrompt(), roles: [{role: "read", db: "jxc"}]})'
const analystUser = process.env.MONGO_ANALYST_USER || 'analyst';
const analystPassword = process.env.MONGO_ANALYST_PASSWORD || '';

if (analystPassword === '') {
  print('create-analyst.js: MONGO_ANALYST_PASSWORD is not set: no read-only analyst user created');
} else {
  db.getSiblingDB('admin').createUser({
    user: analystUser,
    pwd: analystPassword,
    roles: [{ role: 'read', db: 'jxc' }],
  });
  print(`create-analyst.js: created the read-only user ${analystUser} (role read on jxc)`);
}
