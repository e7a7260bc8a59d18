/**
 * The AWS partitions a template may be deployed in, and their DNS suffixes: the few values a
 * partition or URL suffix that is known only at deployment can take (CloudFormation's
 * `AWS::Partition` / `AWS::URLSuffix`, Terraform's `data "aws_partition"`).
 */
export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"];
export const DNS_SUFFIXES = ["amazonaws.com", "amazonaws.com.cn"];
export const REVERSE_DNS_PREFIXES = ["com.amazonaws", "cn.com.amazonaws"];
