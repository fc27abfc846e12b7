variable "cidrs" { default = [] }
resource "aws_security_group_rule" "egress" {
  type        = "egress"
  description = "out"
  cidr_blocks = var.cidrs
  from_port   = 0
  to_port     = 0
  protocol    = "-1"
}
