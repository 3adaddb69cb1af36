-- The API's read-only login, run by the compose stack's `api-login` service
-- after the migrations (which create adrec_reader). Safe to run again: it
-- (re)sets the password. The same statements as infra's adrec-db-admin task.
SELECT 'CREATE ROLE adrec_api LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'adrec_api') \gexec
ALTER ROLE adrec_api WITH LOGIN PASSWORD :'ro_password';
-- A second guard besides the grants: even a mistaken grant cannot make the API write.
ALTER ROLE adrec_api SET default_transaction_read_only = on;
GRANT adrec_reader TO adrec_api;
