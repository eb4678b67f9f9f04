DROP TABLE sso_requests;
DROP TABLE sso_bypass;
DROP TABLE sso_connections;
