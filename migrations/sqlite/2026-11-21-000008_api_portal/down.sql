DROP TABLE external_user_apis;
DROP TABLE external_user_api_groups;
DROP TABLE external_invitations;
DROP TABLE external_users;
DROP TABLE api_group_apis;
DROP TABLE api_groups;
DROP TABLE api_operations;
DROP TABLE apis;
